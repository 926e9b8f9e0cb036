package io.github.layercache.spec;

import io.github.layercache.registry.DockerHub;
import io.github.layercache.registry.ImageReference;
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

/** The images a Dockerfile's {@code FROM} lines pull, with {@code ARG} defaults and build arguments substituted. */
public final class DockerfileBaseImages {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern DIRECTIVE =
            Pattern.compile("#\\s*(syntax|escape|check)\\s*=\\s*(.+?)\\s*", Pattern.CASE_INSENSITIVE);

    private DockerfileBaseImages() {}

    /** The image references of every {@code FROM} that names an image. */
    public static Set<String> of(String dockerfile, Map<String, String> buildArgs) {
        String[] lines = dockerfile.replaceFirst("^\uFEFF", "").split("\\R");
        char escape = escapeCharacter(lines);
        Map<String, String> args = new HashMap<>();
        Set<String> stages = new HashSet<>();
        Set<String> images = new LinkedHashSet<>();
        boolean beforeFirstFrom = true;
        for (String instruction : instructions(lines, escape)) {
            List<String> words = words(instruction, escape);
            String keyword = words.get(0).toUpperCase(Locale.ROOT);
            if (keyword.equals("ARG") && beforeFirstFrom) {
                for (String word : words.subList(1, words.size())) {
                    int eq = word.indexOf('=');
                    String name = eq < 0 ? word : word.substring(0, eq);
                    String value = buildArgs.containsKey(name)
                            ? buildArgs.get(name)
                            : eq < 0 ? null : expand(word.substring(eq + 1), args, escape);
                    if (value != null) {
                        args.put(name, value);
                    }
                }
            } else if (keyword.equals("FROM")) {
                beforeFirstFrom = false;
                List<String> operands = new ArrayList<>();
                for (String word : words.subList(1, words.size())) {
                    if (!word.startsWith("--")) {
                        operands.add(word);
                    }
                }
                if (operands.isEmpty()) {
                    continue;
                }
                String image = expand(operands.get(0), args, escape);
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
        return ImageReference.explicitRegistry(image).orElse(DockerHub.NAME);
    }

    /** The escape character, {@code `} when a {@code # escape=`} parser directive says so, else {@code \}. */
    private static char escapeCharacter(String[] lines) {
        char escape = '\\';
        // Parser directives count only at the top: any other line, even a blank one, ends them.
        for (String line : lines) {
            Matcher directive = DIRECTIVE.matcher(line.strip());
            if (!directive.matches()) {
                break;
            }
            if (directive.group(1).equalsIgnoreCase("escape")
                    && directive.group(2).equals("`")) {
                escape = '`';
            }
        }
        return escape;
    }

    private static List<String> instructions(String[] lines, char escape) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String text = line.stripTrailing();
            // Comment and blank lines are dropped, also inside a continued instruction, as BuildKit does.
            if (text.isBlank() || text.strip().startsWith("#")) {
                continue;
            }
            int last = text.length() - 1;
            // A trailing escape character continues the line, unless it is itself escaped.
            boolean continued = text.charAt(last) == escape && (last == 0 || text.charAt(last - 1) != escape);
            if (continued) {
                current.append(text, 0, last); // BuildKit joins the lines as they are, without a space
            } else {
                current.append(text);
                result.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString());
        }
        return result;
    }

    /** Splits at white space outside quotes, keeping the quotes and escapes for {@link #expand}. */
    private static List<String> words(String instruction, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < instruction.length(); i++) {
            char c = instruction.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == escape && quote != '\'' && i + 1 < instruction.length()) {
                word.append(c);
                c = instruction.charAt(++i);
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            word.append(c);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * A word as BuildKit's shell lexer reads it: quotes removed, variables substituted except in single quotes, and
     * the escape character taken off the character it escapes (in double quotes only before {@code "}, {@code $} or
     * itself).
     */
    private static String expand(String word, Map<String, String> args, char escape) {
        StringBuilder out = new StringBuilder();
        Matcher variable = VARIABLE.matcher(word);
        char quote = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (quote == '\'') {
                if (c == quote) {
                    quote = 0;
                } else {
                    out.append(c);
                }
            } else if (c == '$' && variable.region(i, word.length()).lookingAt()) {
                String name = variable.group(1) != null ? variable.group(1) : variable.group(3);
                String value = args.get(name);
                if (value == null || value.isEmpty()) {
                    // ${X:-default} also applies when X is set but empty, as in the shell
                    value = variable.group(2) != null ? expand(variable.group(2), args, escape) : "";
                }
                out.append(value);
                i = variable.end() - 1;
            } else if (c == escape && i + 1 < word.length()) {
                char next = word.charAt(++i);
                if (quote == '"' && next != '"' && next != '$' && next != escape) {
                    out.append(c);
                }
                out.append(next);
            } else if (c == '"' || (c == '\'' && quote == 0)) {
                quote = quote == 0 ? c : 0;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
