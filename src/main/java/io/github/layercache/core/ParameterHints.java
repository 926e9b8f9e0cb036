package io.github.layercache.core;

import java.util.Optional;

/**
 * How the user sets a parameter, for messages that tell them what to change: the Maven side answers
 * from the plugin descriptor ({@code ci} is set with {@code -Dlayercache.ci}).
 */
@FunctionalInterface
public interface ParameterHints {

    /** The user property that sets {@code parameter}, if it has one (nested parameters have none). */
    Optional<String> property(String parameter);

    /** {@code -Dproperty=value} for a parameter with a property, else {@code <parameter>value</parameter>}. */
    default String setting(String parameter, String value) {
        return property(parameter)
                .map(p -> "-D" + p + "=" + value)
                .orElse("<" + parameter + ">" + value + "</" + parameter + ">");
    }
}
