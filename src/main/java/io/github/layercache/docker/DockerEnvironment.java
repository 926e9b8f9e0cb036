package io.github.layercache.docker;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What every docker process of one goal runs with: the variables it gets on top of the inherited
 * environment (the private {@code DOCKER_CONFIG} of the registry login), and the values that must
 * never be shown (passwords, tokens, credentials in cache specs), masked in its output and command line.
 */
public record DockerEnvironment(Map<String, String> variables, Set<String> masked) {

    public DockerEnvironment {
        variables = Map.copyOf(variables);
        masked = Set.copyOf(masked);
    }

    /** The inherited environment as it is, with nothing to mask. */
    public static DockerEnvironment inherited() {
        return new DockerEnvironment(Map.of(), Set.of());
    }

    /** The same environment, masking these values too. */
    public DockerEnvironment masking(Collection<String> values) {
        Set<String> all = new LinkedHashSet<>(masked);
        values.stream().filter(v -> v != null && !v.isEmpty()).forEach(all::add);
        return new DockerEnvironment(variables, all);
    }
}
