package io.github.layercache.image;

import io.github.layercache.auth.RepositorySettings;
import io.github.layercache.spec.ProjectInfo;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.codehaus.plexus.configuration.PlexusConfigurationException;

/**
 * A {@link BuildRequest} as the {@code build} goal makes it, with the goal's own defaults read from
 * the plugin descriptor (so that the tests cannot drift from what users get), the module in a test
 * directory, and the values a test sets by parameter name.
 */
final class TestRequest {

    private static final Map<String, String> DEFAULTS = descriptorDefaults();

    private final Path module;
    private final Map<String, Object> values = new HashMap<>();

    private TestRequest(Path module) {
        this.module = module;
    }

    /** The goal's defaults, for a module {@code orders_service} 1.0.0 in {@code module}, tagged with its version. */
    static TestRequest of(Path module) {
        return new TestRequest(module).set("tags", List.of("{version}"));
    }

    /** Sets the parameter {@code name} (a component of one of the request's groups) to {@code value}. */
    TestRequest set(String name, Object value) {
        boolean known = List.of(
                        BuildRequest.Image.class,
                        BuildRequest.Buildx.class,
                        BuildRequest.Cache.class,
                        BuildRequest.FingerprintOptions.class,
                        BuildRequest.Ecr.class,
                        BuildRequest.Module.class)
                .stream()
                .flatMap(type -> List.of(type.getRecordComponents()).stream())
                .anyMatch(c -> c.getName().equals(name));
        if (!known) {
            throw new IllegalArgumentException("no parameter " + name + " in a build request");
        }
        values.put(name, value);
        return this;
    }

    BuildRequest build() {
        return new BuildRequest(
                new BuildRequest.Module(
                        module,
                        module,
                        new ProjectInfo("orders_service", "1.0.0", "Orders", null, null, null, null, List.of()),
                        "9.9.9",
                        (boolean) value("failWithoutDockerfile", boolean.class),
                        (String) value("outputTimestamp", String.class)),
                group(BuildRequest.Image.class),
                group(BuildRequest.Buildx.class),
                group(BuildRequest.Cache.class),
                group(BuildRequest.FingerprintOptions.class),
                new BuildRequest.Ecr(
                        (boolean) value("ecrCreateRepository", boolean.class),
                        values.containsKey("repository")
                                ? (RepositorySettings) values.get("repository")
                                : new RepositorySettings(
                                        (boolean) value("ecrImmutableTags", boolean.class),
                                        (boolean) value("ecrScanOnPush", boolean.class),
                                        (int) value("ecrExpireDays", int.class),
                                        (String) value("cacheTag", String.class),
                                        (boolean) value("ecrApplyLifecyclePolicy", boolean.class))),
                module.resolve("target/layercache/image.json"));
    }

    /** A group made from its components' values: set by the test, else the goal's defaults. */
    private <T extends Record> T group(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            arguments[i] = value(components[i].getName(), types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object value(String name, Class<?> type) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        if (name.equals("contextDirectory")) {
            return module;
        }
        String text = DEFAULTS.get(name);
        if (text != null && text.startsWith("${")) {
            text = null; // an expression Maven evaluates, such as ${project.build.outputTimestamp}: unset here
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        return type == String.class ? text : null;
    }

    /** Each {@code build} parameter's default value, as plugin.xml declares it. */
    private static Map<String, String> descriptorDefaults() {
        Path descriptor;
        try {
            descriptor = Path.of(BuildRequest.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .resolve("META-INF/maven/plugin.xml");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Reader reader = Files.newBufferedReader(descriptor, StandardCharsets.UTF_8)) {
            MojoDescriptor build = new PluginDescriptorBuilder().build(reader).getMojo("build");
            Map<String, String> defaults = new HashMap<>();
            for (Parameter parameter : build.getParameters()) {
                if (parameter.getDefaultValue() != null) {
                    defaults.put(parameter.getName(), parameter.getDefaultValue());
                }
            }
            return defaults;
        } catch (IOException | PlexusConfigurationException e) {
            throw new IllegalStateException(
                    "Cannot read " + descriptor + " (run the build up to process-classes): " + e);
        }
    }
}
