package io.github.layercache.docker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version of the buildx plugin, read from {@code docker buildx version}, to adapt to what it supports. */
public record BuildxVersion(int major, int minor, int patch) implements Comparable<BuildxVersion> {

    /** {@code --driver-opt default-load=true} exists from here on; 0.13 rejects it. */
    public static final BuildxVersion DEFAULT_LOAD = new BuildxVersion(0, 14, 0);

    /** {@code --buildkitd-config} replaced {@code --config} here. */
    public static final BuildxVersion BUILDKITD_CONFIG_FLAG = new BuildxVersion(0, 13, 0);

    private static final Pattern VERSION = Pattern.compile("\\bv?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * Reads {@code github.com/docker/buildx v0.14.1 59582f0} or a distribution's
     * {@code github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3}.
     */
    public static Optional<BuildxVersion> parse(String output) {
        for (String word : output.trim().split("\\s+")) {
            Matcher m = VERSION.matcher(word);
            if (!word.contains("/") && m.lookingAt()) {
                return Optional.of(new BuildxVersion(
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
            }
        }
        return Optional.empty();
    }

    public boolean atLeast(BuildxVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(BuildxVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
