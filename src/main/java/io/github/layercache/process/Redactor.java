package io.github.layercache.process;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Masks known secrets in text, longest first so that one secret containing another is fully hidden. */
public final class Redactor {

    public static final String MASK = "****";

    private final List<String> secrets;

    public Redactor(Set<String> secrets) {
        this.secrets = secrets.stream()
                .filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
