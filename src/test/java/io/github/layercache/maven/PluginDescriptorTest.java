package io.github.layercache.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.maven.GeneratedDescriptor.Goal;
import io.github.layercache.maven.GeneratedDescriptor.GoalParameter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the descriptor maven-plugin-plugin generated from the mojo annotations: that is what
 * Maven binds {@code <configuration>} and {@code -D} properties with, so a typo in a
 * {@code @Parameter} shows up here rather than in a user's build.
 */
class PluginDescriptorTest {

    private static GeneratedDescriptor descriptor;

    @BeforeAll
    static void readDescriptor() throws Exception {
        descriptor = GeneratedDescriptor.read();
    }

    @Test
    void goalPrefixIsLayercache() {
        assertThat(descriptor.goalPrefix()).isEqualTo("layercache");
    }

    @Test
    void buildGoalRunsInPackagePhaseAndIsThreadSafe() {
        Goal build = descriptor.goal("build").orElseThrow(() -> new AssertionError("no goal 'build' in " + descriptor));
        assertThat(build.implementation()).isEqualTo(BuildMojo.class.getName());
        assertThat(build.phase()).as("default phase of build").isEqualTo("package");
        assertThat(build.threadSafe()).as("build is threadSafe").isTrue();
    }

    @Test
    void helpGoalExists() {
        assertThat(descriptor.goal("help")).as("help goal (helpmojo)").isPresent();
    }

    @Test
    void everyUserPropertyOfThePluginsGoalsStartsWithThePrefix() {
        List<String> wrong = new ArrayList<>();
        for (Goal goal : descriptor.ownGoals()) {
            for (GoalParameter parameter : goal.parameters()) {
                parameter
                        .property()
                        .filter(property -> !property.startsWith(PropertyNames.PREFIX))
                        .ifPresent(property -> wrong.add(goal.name() + "." + parameter.name() + " -> " + property));
            }
        }
        assertThat(descriptor.ownGoals()).isNotEmpty();
        assertThat(wrong)
                .as("user properties without the '%s' prefix", PropertyNames.PREFIX)
                .isEmpty();
    }

    @Test
    void messagesKnowTheUserPropertyOfEveryParameterFromTheDescriptor() {
        Goal build = descriptor.goal("build").orElseThrow();
        List<String> mismatches = new ArrayList<>();
        // every goal of the plugin, since explain() serves them all
        for (Goal goal : descriptor.ownGoals()) {
            DescriptorHints hints = DescriptorHints.of(GeneratedDescriptor.mojoDescriptor(goal.name()));
            for (GoalParameter parameter : goal.parameters()) {
                if (!hints.property(parameter.name()).equals(parameter.property())) {
                    mismatches.add(goal.name() + "." + parameter.name() + ": descriptor " + parameter.property()
                            + ", hints " + hints.property(parameter.name()));
                }
            }
        }
        assertThat(descriptor.ownGoals()).contains(build);
        assertThat(mismatches)
                .as("the hints must give the descriptor's property, or error messages name the wrong -D property")
                .isEmpty();
        // The check above must have seen parameters with and without a property.
        assertThat(build.parameters()).anySatisfy(p -> assertThat(p.property()).isPresent());
        assertThat(build.parameters()).anySatisfy(p -> assertThat(p.property()).isEmpty());
    }

    /**
     * Maven resolves {@code ${…}} against the project properties too, so a result property the
     * build sets must never have the name of an input property: a second execution would read it.
     */
    @Test
    void resultPropertiesDoNotShadowInputProperties() throws IllegalAccessException {
        Set<String> inputs = new TreeSet<>();
        for (Goal goal : descriptor.ownGoals()) {
            goal.parameters().forEach(p -> p.property().ifPresent(inputs::add));
        }
        List<String> results = resultProperties();
        assertThat(results)
                .as("every RESULT_* constant")
                .contains(
                        PropertyNames.RESULT_IMAGE,
                        PropertyNames.RESULT_TAGS,
                        PropertyNames.RESULT_DIGEST,
                        PropertyNames.RESULT_REFERENCE,
                        PropertyNames.RESULT_PUSHED_DIGEST,
                        PropertyNames.RESULT_STEPS,
                        PropertyNames.RESULT_FINGERPRINT_TAG,
                        PropertyNames.RESULT_REUSED,
                        PropertyNames.RESULT_SECONDS);
        assertThat(inputs).isNotEmpty().doesNotContainAnyElementsOf(results);
        assertThat(results).doesNotHaveDuplicates().allSatisfy(property -> assertThat(property)
                .startsWith(PropertyNames.PREFIX + "image."));
    }

    /** The values of every {@code RESULT_*} constant: the project properties the goals set as outputs. */
    private static List<String> resultProperties() throws IllegalAccessException {
        List<String> results = new ArrayList<>();
        for (Field field : PropertyNames.class.getDeclaredFields()) {
            if (field.getName().startsWith("RESULT_") && Modifier.isStatic(field.getModifiers())) {
                results.add((String) field.get(null));
            }
        }
        return results;
    }

    @Test
    void buildGoalBindsTheExpectedProperties() {
        Goal build = descriptor.goal("build").orElseThrow();
        assertThat(build.parameter("skip").flatMap(GoalParameter::property)).contains("layercache.skip");
        assertThat(build.parameter("skipBuild").flatMap(GoalParameter::property))
                .contains("layercache.skip.build");
        assertThat(build.parameter("dockerExecutable").flatMap(GoalParameter::property))
                .contains("layercache.docker");
        assertThat(build.parameter("tags").flatMap(GoalParameter::property)).contains("layercache.tags");
        assertThat(build.parameter("cacheFrom"))
                .hasValueSatisfying(p -> assertThat(p.property()).isEmpty());
        assertThat(build.parameter("project")).hasValueSatisfying(p -> {
            assertThat(p.editable()).isFalse();
            assertThat(p.property()).isEmpty();
        });
    }

    @Test
    void everyEditableParameterHasSinceAndDescription() {
        List<String> wrong = new ArrayList<>();
        for (Goal goal : descriptor.ownGoals()) {
            for (GoalParameter parameter : goal.parameters()) {
                if (!parameter.editable()) {
                    continue;
                }
                if (!"0.1.0".equals(parameter.since())) {
                    wrong.add(goal.name() + "." + parameter.name() + ": since " + parameter.since());
                }
                if (parameter.description() == null || parameter.description().isBlank()) {
                    wrong.add(goal.name() + "." + parameter.name() + ": no description");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * Every input {@code -D} constant in {@link PropertyNames} is read by some goal; a constant that
     * no parameter uses means a renamed parameter left a stale name behind. The {@code RESULT_*}
     * constants are outputs (project properties the build sets), not inputs.
     */
    @Test
    void everyInputConstantOfPropertyNamesIsBoundToAParameter() throws IllegalAccessException {
        Set<String> bound = new TreeSet<>();
        for (Goal goal : descriptor.ownGoals()) {
            goal.parameters().forEach(p -> p.property().ifPresent(bound::add));
        }
        Set<String> unbound = new TreeSet<>();
        for (Field field : PropertyNames.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isPublic(modifiers)
                    || !Modifier.isStatic(modifiers)
                    || field.getType() != String.class
                    || field.getName().equals("PREFIX")
                    || field.getName().startsWith("RESULT_")) {
                continue;
            }
            String property = (String) field.get(null);
            if (!bound.contains(property)) {
                unbound.add(field.getName() + " = " + property);
            }
        }
        assertThat(unbound).isEmpty();
    }
}
