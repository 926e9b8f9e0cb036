package io.github.layercache.javaapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a Dockerfile does with a module's Java application: whether it copies from the layered
 * build context, and which jars it copies from the main context instead.
 */
public final class DockerfileJavaUse {

    private static final Pattern CONTINUATION = Pattern.compile("\\\\\\r?\\n");

    private DockerfileJavaUse() {}

    /**
     * Whether an instruction reads build context {@code name}: {@code COPY --from=name},
     * {@code FROM name} or {@code RUN --mount=...,from=name}.
     */
    public static boolean usesContext(String dockerfile, String name) {
        String quoted = Pattern.quote(name);
        return Pattern.compile("(?i)--from=\"?" + quoted + "\"?(\\s|$)")
                        .matcher(dockerfile)
                        .find()
                || Pattern.compile("(?im)^\\s*FROM\\s+" + quoted + "(\\s|$)")
                        .matcher(dockerfile)
                        .find()
                || Pattern.compile("(?i)--mount=\\S*\\bfrom=" + quoted + "([,\\s]|$)")
                        .matcher(dockerfile)
                        .find();
    }

    /** The sources ending in {@code .jar} of {@code COPY} and {@code ADD} instructions that copy from the main context. */
    public static List<String> jarsCopiedFromContext(String dockerfile) {
        List<String> jars = new ArrayList<>();
        for (String line : CONTINUATION.matcher(dockerfile).replaceAll(" ").split("\\R")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 3) {
                continue;
            }
            String instruction = words[0].toUpperCase(Locale.ROOT);
            if (!instruction.equals("COPY") && !instruction.equals("ADD")) {
                continue;
            }
            List<String> sources = new ArrayList<>();
            boolean fromAnotherStage = false;
            for (int i = 1; i < words.length - 1; i++) {
                if (words[i].startsWith("--")) {
                    fromAnotherStage |= words[i].toLowerCase(Locale.ROOT).startsWith("--from=");
                } else {
                    sources.add(words[i]);
                }
            }
            if (!fromAnotherStage) {
                sources.stream().filter(s -> s.endsWith(".jar")).forEach(jars::add);
            }
        }
        return jars;
    }
}
