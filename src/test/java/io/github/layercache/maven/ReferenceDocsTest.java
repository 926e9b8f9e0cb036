package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.maven.GeneratedDescriptor.Goal;
import io.github.layercache.maven.GeneratedDescriptor.GoalParameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The documentation's parameter tables agree with the plugin descriptor, the file Maven itself
 * binds configuration with. The site's configuration reference ({@code src/site/markdown/configuration.md})
 * has a section per goal ({@code ## `build`}) and one for the parameters of every goal
 * ({@code ## Every goal}); the README has a table of the most used parameters. In each table row the
 * first column is the parameter as {@code `<name>`} and the second its user property, or empty. The
 * generated {@code help} goal is not documented this way.
 */
class ReferenceDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`<([A-Za-z0-9]+)>`\\s*\\|\\s*([^|]*?)\\s*\\|");
    private static final String EVERY_GOAL = "Every goal";

    private static GeneratedDescriptor descriptor;
    private static Path root;

    /** One table row: the section it is in, the parameter it names, and its property column. */
    record Row(String section, String parameter, Optional<String> property) {}

    @BeforeAll
    static void locate() throws IOException {
        descriptor = GeneratedDescriptor.read();
        // target/classes/META-INF/maven/plugin.xml -> project root
        root = descriptor.file().getParent().getParent().getParent().getParent().getParent();
    }

    @Test
    void configurationReferenceNamesEveryParameterWithItsProperty() throws IOException {
        List<Row> rows = rows(root.resolve("src/site/markdown/configuration.md"));
        Set<String> checked = new TreeSet<>();
        Set<String> problems = new TreeSet<>();
        for (Goal goal : descriptor.ownGoals()) {
            for (GoalParameter parameter : goal.parameters()) {
                if (!parameter.editable()) {
                    continue;
                }
                checked.add(parameter.name());
                List<Row> found = rows.stream()
                        .filter(row -> row.parameter().equals(parameter.name()))
                        .filter(row -> row.section().equals("`" + goal.name() + "`")
                                || row.section().equals(EVERY_GOAL))
                        .toList();
                if (found.isEmpty()) {
                    problems.add(goal.name() + ": <" + parameter.name() + "> has no row");
                }
                for (Row row : found) {
                    if (!row.property().equals(parameter.property())) {
                        problems.add(goal.name() + ": <" + parameter.name() + "> has the property "
                                + row.property().orElse("(none)") + " in the table, "
                                + parameter.property().orElse("(none)") + " in the descriptor");
                    }
                }
            }
        }
        assertThat(checked)
                .contains("dockerfile", "cacheFrom", "secrets", "skip")
                .doesNotContain("project");
        assertThat(problems)
                .as("rows of src/site/markdown/configuration.md that disagree with the descriptor")
                .isEmpty();
    }

    @Test
    void configurationReferenceHasNoRowTheDescriptorLacks() throws IOException {
        List<Row> rows = rows(root.resolve("src/site/markdown/configuration.md"));
        assertThat(rows).hasSizeGreaterThan(50);
        Set<String> stale = new TreeSet<>();
        for (Row row : rows) {
            List<Goal> goals = row.section().equals(EVERY_GOAL)
                    ? descriptor.ownGoals()
                    : descriptor.ownGoals().stream()
                            .filter(g -> row.section().equals("`" + g.name() + "`"))
                            .toList();
            if (goals.isEmpty()) {
                stale.add(row.section() + ": a section for no goal of the plugin");
            }
            for (Goal goal : goals) {
                if (goal.parameter(row.parameter()).isEmpty()) {
                    stale.add(row.section() + ": <" + row.parameter() + "> is no parameter of " + goal.name());
                }
            }
        }
        assertThat(stale).isEmpty();
    }

    @Test
    void readmeTableOfTheMostUsedParametersMatchesTheDescriptor() throws IOException {
        List<Row> rows = rows(root.resolve("README.md")).stream()
                .filter(row -> row.section().equals("The ten most used parameters"))
                .toList();
        assertThat(rows).hasSize(10);
        Set<String> problems = new TreeSet<>();
        for (Row row : rows) {
            Optional<GoalParameter> parameter = descriptor.ownGoals().stream()
                    .flatMap(goal -> goal.parameter(row.parameter()).stream())
                    .findFirst();
            if (parameter.isEmpty()) {
                problems.add("<" + row.parameter() + "> is no parameter of the plugin");
            } else if (!parameter.get().property().equals(row.property())) {
                problems.add("<" + row.parameter() + "> has the property "
                        + row.property().orElse("(none)") + " in the README, "
                        + parameter.get().property().orElse("(none)") + " in the descriptor");
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The README's IAM policy allows every ECR API call the plugin makes through the SDK (read from
     * the source of {@code SdkEcrApi}) and the registry actions that pulls, pushes, cache imports and
     * exports need.
     */
    @Test
    void readmeIamPolicyAllowsWhatThePluginCalls() throws IOException {
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("## Amazon ECR and IAM"));
        int start = section.indexOf("```json\n") + "```json\n".length();
        Map<?, ?> policy = JsonDocuments.read(section.substring(start, section.indexOf("\n```", start)), Map.class);
        Set<String> allowed = new TreeSet<>();
        for (Object statement : (List<?>) policy.get("Statement")) {
            Map<?, ?> fields = (Map<?, ?>) statement;
            if ("Allow".equals(fields.get("Effect"))) {
                Object actions = fields.get("Action");
                if (actions instanceof List<?> list) {
                    list.forEach(action -> allowed.add(action.toString()));
                } else {
                    allowed.add(actions.toString());
                }
            }
        }
        Set<String> clientMethods = new TreeSet<>();
        Arrays.stream(EcrClient.class.getMethods()).forEach(method -> clientMethods.add(method.getName()));
        String source = Files.readString(
                root.resolve("src/main/java/io/github/layercache/auth/SdkEcrApi.java"), StandardCharsets.UTF_8);
        Set<String> calls = new TreeSet<>();
        Matcher call = Pattern.compile("\\becr\\.([a-z]\\w*)\\(").matcher(source);
        while (call.find()) {
            if (clientMethods.contains(call.group(1))) {
                calls.add("ecr:" + Character.toUpperCase(call.group(1).charAt(0))
                        + call.group(1).substring(1));
            }
        }
        assertThat(calls).contains("ecr:GetAuthorizationToken", "ecr:CreateRepository");
        assertThat(allowed)
                .containsAll(calls)
                .contains(
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:GetDownloadUrlForLayer",
                        "ecr:BatchGetImage",
                        "ecr:InitiateLayerUpload",
                        "ecr:UploadLayerPart",
                        "ecr:CompleteLayerUpload",
                        "ecr:PutImage");
    }

    /** The table rows that name a parameter, each with the {@code ##} heading above it. */
    static List<Row> rows(Path markdown) throws IOException {
        assertThat(markdown).isRegularFile();
        List<Row> rows = new ArrayList<>();
        String section = "";
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                section = line.substring(3).strip();
                continue;
            }
            Matcher matcher = ROW.matcher(line);
            if (matcher.find()) {
                String property = matcher.group(2).replace("`", "").strip();
                rows.add(new Row(
                        section, matcher.group(1), property.isEmpty() ? Optional.empty() : Optional.of(property)));
            }
        }
        return rows;
    }
}
