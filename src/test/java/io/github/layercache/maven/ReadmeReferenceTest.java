package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.maven.GeneratedDescriptor.Goal;
import io.github.layercache.maven.GeneratedDescriptor.GoalParameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README is the plugin's reference: every setting of the plugin's own goals must be findable
 * there, as the XML element {@code <name>} and, when it has one, as its user property (either
 * {@code -Dproperty} or the property in a table row). The generated {@code help} goal is not
 * documented this way.
 */
class ReadmeReferenceTest {

    private static GeneratedDescriptor descriptor;
    private static Path readme;

    @BeforeAll
    static void locate() throws IOException {
        descriptor = GeneratedDescriptor.read();
        // target/classes/META-INF/maven/plugin.xml -> project root
        readme = descriptor
                .file()
                .getParent()
                .getParent()
                .getParent()
                .getParent()
                .getParent()
                .resolve("README.md");
    }

    @Test
    void readmeMentionsEveryUserProperty() throws IOException {
        String text = readReadme();
        List<String> tableRows =
                text.lines().filter(line -> line.strip().startsWith("|")).toList();
        Set<String> checked = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Goal goal : descriptor.ownGoals()) {
            for (GoalParameter parameter : goal.parameters()) {
                parameter.property().ifPresent(property -> {
                    checked.add(property);
                    boolean asFlag = Pattern.compile("-D" + Pattern.quote(property) + "(?![\\w.-])")
                            .matcher(text)
                            .find();
                    Pattern token = Pattern.compile("(?<![\\w.-])" + Pattern.quote(property) + "(?![\\w.-])");
                    boolean inTable = tableRows.stream()
                            .anyMatch(row -> token.matcher(row).find());
                    if (!asFlag && !inTable) {
                        missing.add(property + " (" + goal.name() + "." + parameter.name() + ")");
                    }
                });
            }
        }
        assertThat(checked).contains(PropertyNames.SKIP, PropertyNames.DOCKERFILE, PropertyNames.TAGS);
        assertThat(missing)
                .as("user properties that %s mentions neither as -D<property> nor in a table row", readme)
                .isEmpty();
    }

    @Test
    void readmeMentionsEveryParameterAsXmlElement() throws IOException {
        String text = readReadme();
        Set<String> checked = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Goal goal : descriptor.ownGoals()) {
            for (GoalParameter parameter : goal.parameters()) {
                if (parameter.editable()) {
                    checked.add(parameter.name());
                }
                if (parameter.editable() && !text.contains("<" + parameter.name() + ">")) {
                    missing.add("<" + parameter.name() + "> (" + goal.name() + ")");
                }
            }
        }
        assertThat(checked).contains("dockerfile", "cacheFrom", "secrets").doesNotContain("project", "session");
        assertThat(missing)
                .as("parameters that %s does not mention as <name>", readme)
                .isEmpty();
    }

    private static String readReadme() throws IOException {
        assertThat(readme).as("README.md at the project root").isRegularFile();
        return Files.readString(readme, StandardCharsets.UTF_8);
    }
}
