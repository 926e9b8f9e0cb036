package io.github.layercache;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which package may import which, as the architecture in CONTRIBUTING.md has it: read from the {@code import} lines
 * of every main source file. Only {@code maven} knows Maven, only {@code auth} the AWS SDK, and the allowed map has no
 * cycle, so neither has the code.
 */
class PackageDependenciesTest {

    /** Each package and the packages of the plugin it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            entry("core", Set.of()),
            entry("log", Set.of()),
            entry("process", Set.of()),
            entry("registry", Set.of("core")),
            entry("source", Set.of("core", "registry")),
            entry("cache", Set.of("core", "registry", "source")),
            entry("spec", Set.of("cache", "core", "registry")),
            entry("docker", Set.of("cache", "core", "log", "process", "spec")),
            entry("auth", Set.of("cache", "core", "docker", "log", "registry", "spec")),
            entry("fingerprint", Set.of("auth", "core", "spec")),
            entry("javaapp", Set.of("core", "log", "spec")),
            entry("inputs", Set.of("cache", "core", "fingerprint", "log", "registry", "spec")),
            entry("buildx", Set.of("cache", "core", "docker", "inputs", "log", "process", "spec")),
            entry(
                    "image",
                    Set.of(
                            "auth",
                            "buildx",
                            "cache",
                            "core",
                            "docker",
                            "fingerprint",
                            "inputs",
                            "log",
                            "registry",
                            "source",
                            "spec")),
            entry("push", Set.of("auth", "buildx", "core", "docker", "log", "process", "registry", "spec")),
            entry("result", Set.of("buildx", "cache", "core", "image", "push", "spec")),
            entry(
                    "maven",
                    Set.of(
                            "auth",
                            "buildx",
                            "core",
                            "docker",
                            "image",
                            "javaapp",
                            "log",
                            "process",
                            "push",
                            "registry",
                            "result",
                            "spec")));

    /** Libraries that one package alone may import. */
    private static final Map<String, String> ONLY_IN = Map.of(
            "org.apache.maven.", "maven",
            "software.amazon.awssdk.", "auth");

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+io\\.github\\.layercache\\.(\\w+)[.;]");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
    private static final String OWN = "io.github.layercache.";

    @Test
    void everyMainSourceFileImportsOnlyWhatItsPackageMay() throws IOException, URISyntaxException {
        List<String> problems = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(mainSources())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                packages.add(packageOf(source));
                problems.addAll(violations(source));
            }
        }

        assertThat(problems).isEmpty();
        assertThat(packages).as("every package has its line in the map").isEqualTo(new TreeSet<>(ALLOWED.keySet()));
    }

    @Test
    void aForbiddenImportFails() {
        String source = "package io.github.layercache.spec;\n\n"
                + "import io.github.layercache.core.InvalidSpecException;\n"
                + "import static io.github.layercache.image.BuildRunner.run;\n"
                + "import org.apache.maven.plugin.MojoExecutionException;\n"
                + "import software.amazon.awssdk.services.ecr.EcrClient;\n";

        assertThat(violations(source))
                .containsExactly(
                        "spec imports io.github.layercache.image.BuildRunner.run",
                        "spec imports org.apache.maven.plugin.MojoExecutionException (only maven may)",
                        "spec imports software.amazon.awssdk.services.ecr.EcrClient (only auth may)");
    }

    @Test
    void theAllowedImportsHaveNoCycle() {
        for (String start : ALLOWED.keySet()) {
            assertThat(reachable(start)).as("what %s reaches", start).doesNotContain(start);
        }
    }

    /** The imports of one source file that its package may not have. */
    static List<String> violations(String source) {
        String pkg = packageOf(source);
        List<String> problems = new ArrayList<>();
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
            String name = imported.group(1);
            if (name.startsWith(OWN)) {
                String target = name.substring(OWN.length(), name.indexOf('.', OWN.length()));
                if (!target.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(target)) {
                    problems.add(pkg + " imports " + name);
                }
            }
            ONLY_IN.forEach((prefix, owner) -> {
                if (name.startsWith(prefix) && !pkg.equals(owner)) {
                    problems.add(pkg + " imports " + name + " (only " + owner + " may)");
                }
            });
        }
        return problems;
    }

    private static String packageOf(String source) {
        Matcher matcher = PACKAGE.matcher(source);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no package io.github.layercache.* declared");
        }
        return matcher.group(1);
    }

    private static Set<String> reachable(String start) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(ALLOWED.get(start));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(ALLOWED.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** {@code src/main/java/io/github/layercache}, found from target/test-classes. */
    private static Path mainSources() throws URISyntaxException {
        Path testClasses = Path.of(PackageDependenciesTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        return testClasses.getParent().getParent().resolve("src/main/java/io/github/layercache");
    }
}
