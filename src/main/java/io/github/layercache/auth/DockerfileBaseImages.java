package io.github.layercache.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a Dockerfile's {@code FROM} lines pull, with {@code ARG} defaults and build
 * arguments substituted; earlier stages and {@code scratch} are not images.
 */
public final class DockerfileBaseImages {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private DockerfileBaseImages() {}

    /** The image references of every {@code FROM} that names an image. */
    public static Set<String> of(String dockerfile, Map<String, String> buildArgs) {
        Map<String, String> args = new HashMap<>();
        Set<String> stages = new HashSet<>();
        Set<String> images = new LinkedHashSet<>();
        boolean beforeFirstFrom = true;
        for (String instruction : instructions(dockerfile)) {
            String[] words = instruction.trim().split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("ARG") && beforeFirstFrom) {
                for (int i = 1; i < words.length; i++) {
                    int eq = words[i].indexOf('=');
                    String name = eq < 0 ? words[i] : words[i].substring(0, eq);
                    String value = buildArgs.containsKey(name)
                            ? buildArgs.get(name)
                            : eq < 0 ? null : substitute(unquote(words[i].substring(eq + 1)), args);
                    if (value != null) {
                        args.put(name, value);
                    }
                }
            } else if (keyword.equals("FROM")) {
                beforeFirstFrom = false;
                List<String> operands = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    if (!words[i].startsWith("--")) {
                        operands.add(words[i]);
                    }
                }
                if (operands.isEmpty()) {
                    continue;
                }
                String image = substitute(operands.get(0), args);
                if (!image.isEmpty()
                        && !image.equalsIgnoreCase("scratch")
                        && !stages.contains(image.toLowerCase(Locale.ROOT))) {
                    images.add(image);
                }
                if (operands.size() == 3 && operands.get(1).equalsIgnoreCase("AS")) {
                    stages.add(operands.get(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return images;
    }

    /** The registry host of an image reference, as Docker decides it; {@code docker.io} otherwise. */
    public static String registryHost(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    private static List<String> instructions(String dockerfile) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\\R")) {
            String trimmed = line.strip();
            // Comment and blank lines are dropped, also inside a continued instruction, as BuildKit does.
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                result.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            result.add(current.toString());
        }
        return result;
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = args.get(name);
            if (value == null || value.isEmpty()) {
                // ${X:-default} also applies when X is set but empty, as in the shell
                value = m.group(2) != null ? m.group(2) : "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String unquote(String value) {
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
