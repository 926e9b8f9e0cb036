package io.github.layercache.maven;

import io.github.layercache.core.ParameterHints;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;

/** The user property of each of a goal's parameters, as the plugin descriptor declares it. */
final class DescriptorHints implements ParameterHints {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, String> properties;

    private DescriptorHints(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    static DescriptorHints of(MojoDescriptor descriptor) {
        Map<String, String> properties = new HashMap<>();
        if (descriptor.getParameters() != null) {
            for (Parameter parameter : descriptor.getParameters()) {
                Matcher expression =
                        EXPRESSION.matcher(parameter.getExpression() == null ? "" : parameter.getExpression());
                if (expression.matches() && expression.group(1).startsWith(PropertyNames.PREFIX)) {
                    properties.put(parameter.getName(), expression.group(1));
                }
            }
        }
        return new DescriptorHints(properties);
    }

    @Override
    public Optional<String> property(String parameter) {
        return Optional.ofNullable(properties.get(parameter));
    }
}
