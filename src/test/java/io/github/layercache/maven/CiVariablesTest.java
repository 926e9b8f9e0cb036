package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.source.CiEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CiEnvironment#variables()} is the list of CI variables; the places that must name them for people or for
 * the shell name exactly those.
 */
class CiVariablesTest {

    private static final Pattern VARIABLE = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\\b");

    private static GeneratedDescriptor descriptor;
    private static Path root;

    @BeforeAll
    static void locate() throws IOException {
        descriptor = GeneratedDescriptor.read();
        // target/classes/META-INF/maven/plugin.xml -> project root
        root = descriptor.file().getParent().getParent().getParent().getParent().getParent();
    }

    @Test
    void theCiParameterNamesEveryVariable() {
        String description = descriptor.goals().stream()
                .filter(goal -> goal.name().equals("build"))
                .flatMap(goal -> goal.parameters().stream())
                .filter(parameter -> parameter.name().equals("ci"))
                .findFirst()
                .orElseThrow()
                .description();

        assertThat(variables(description)).containsAll(CiEnvironment.variables());
    }

    @Test
    void theShippingGuideNamesEveryVariable() throws IOException {
        String guide = Files.readString(root.resolve("src/site/markdown/shipping.md"), StandardCharsets.UTF_8);
        String paragraph = guide.substring(guide.indexOf("A build counts as a CI build"), guide.indexOf("overrides"));

        assertThat(variables(paragraph)).containsAll(CiEnvironment.variables());
    }

    @Test
    void theTestRunKeepsEveryVariableFromTheProjects() throws IOException {
        String script = Files.readString(root.resolve("src/env/test.sh"), StandardCharsets.UTF_8);
        // The one unset that names CI variables, with its continuation lines.
        Matcher unset = Pattern.compile("(?m)^unset CI ((?:.*\\\\\\R)*.*)$").matcher(script);

        assertThat(unset.find()).isTrue();
        assertThat(variables("CI " + unset.group(1))).containsAll(CiEnvironment.variables());
    }

    private static Set<String> variables(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }
}
