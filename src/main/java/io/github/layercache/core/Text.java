package io.github.layercache.core;

/** The one rule for optional text settings: blank means "not set". */
public final class Text {

    private Text() {}

    /** The value stripped, or null when it is null or blank. */
    public static String blankToNull(String value) {
        return isSet(value) ? value.strip() : null;
    }

    /** Whether the value is set: neither null nor blank. */
    public static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
