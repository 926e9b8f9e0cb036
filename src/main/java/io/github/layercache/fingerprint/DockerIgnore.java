package io.github.layercache.fingerprint;

import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, applied the way BuildKit applies them when it sends a build context.
 *
 * <p>Parsing follows BuildKit's ignore-file reader: a line is a comment only when {@code #} is in its first
 * column; each other line is trimmed, skipped when blank, made an exception by a leading {@code !}, cleaned like
 * Go's {@code filepath.Clean} and stripped of a leading {@code /}. A UTF-8 byte order mark is ignored.
 *
 * <p>Each pattern is Go's {@code filepath.Match} syntax ({@code *}, {@code ?}, {@code [...]} negated by {@code ^},
 * {@code \} escaping) plus {@code **}, with the quirks of moby's patternmatcher: {@code **} followed by more
 * pattern matches any number of whole directories ({@code a/**}{@code /b} matches {@code a/b} and {@code a/x/y/b});
 * a trailing {@code **} matches any continuation ({@code foo**} matches {@code food/x}); and a pattern starting with
 * {@code **} and otherwise free of wildcards is a plain suffix test ({@code **.md} matches {@code docs/a.md}).
 *
 * <p>A pattern matches a path when it matches the path or one of its parent directories, and the last matching
 * pattern decides. Like BuildKit's walker, the decision is made directory by directory: which patterns matched a
 * directory is passed down to its entries, except for patterns BuildKit did not need to evaluate for the directory
 * (a normal pattern while the directory was already excluded, an exception while it was included).
 */
public final class DockerIgnore {

    private static final DockerIgnore NONE = new DockerIgnore(List.of());

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses .dockerignore text.
     *
     * @throws IllegalArgumentException for a line BuildKit refuses: a bare {@code !}, an unterminated or empty
     *     {@code [...]}, a backwards range, a trailing {@code \}
     */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            if (index == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.startsWith("#")) {
                continue; // only in the first column: "  # x" is the pattern "# x"
            }
            String pattern = trim(line);
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.charAt(0) == '!';
            if (exception) {
                pattern = trim(pattern.substring(1));
            }
            if (!pattern.isEmpty()) {
                pattern = clean(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            }
            try {
                if (exception && (pattern.isEmpty() || pattern.equals("/"))) {
                    throw new IllegalArgumentException("an exception needs a pattern after '!'");
                }
                rules.add(Rule.compile(pattern, exception));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        ".dockerignore line " + (index + 1) + " (" + line.strip() + "): " + e.getMessage(), e);
            }
        }
        return rules.isEmpty() ? NONE : new DockerIgnore(rules);
    }

    /** The rules of {@code <context>/.dockerignore}, or none when the file is missing. */
    public static DockerIgnore of(Path contextDirectory) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(contextDirectory.resolve(".dockerignore"));
        } catch (NoSuchFileException e) {
            return NONE;
        }
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    /** The rules BuildKit applies to a build: {@code <Dockerfile>.dockerignore} beside the Dockerfile first, then the context's {@code .dockerignore}. */
    public static DockerIgnore forBuild(BuildSpec spec) throws IOException {
        Path beside = besideDockerfile(spec);
        if (Files.isRegularFile(beside)) {
            return parse(Files.readString(beside, StandardCharsets.UTF_8));
        }
        return of(spec.contextDirectory());
    }

    /** Whether the build has ignore rules at all, beside the Dockerfile or in the context. */
    public static boolean present(BuildSpec spec) {
        return Files.isRegularFile(besideDockerfile(spec))
                || Files.isRegularFile(spec.contextDirectory().resolve(".dockerignore"));
    }

    private static Path besideDockerfile(BuildSpec spec) {
        return spec.dockerfile().resolveSibling(spec.dockerfile().getFileName() + ".dockerignore");
    }

    /**
     * Whether BuildKit leaves this path out of the context.
     *
     * @param relativePath a path relative to the context directory with '/' separators, e.g. "src/main/App.java"
     */
    public boolean excludes(String relativePath) {
        String path = clean(relativePath);
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty() || path.equals(".") || rules.isEmpty()) {
            return false;
        }
        Match match = null;
        int slash = -1;
        do {
            slash = path.indexOf('/', slash + 1);
            match = match(slash < 0 ? path : path.substring(0, slash), match);
        } while (slash >= 0);
        return match.excluded();
    }

    /**
     * Every regular file and symbolic link of the context that BuildKit sends, as sorted relative paths with '/'
     * separators. Symbolic links are listed, not followed. An excluded directory is not read when no exception
     * could re-include something below it. Like BuildKit, a permission error on an excluded entry is ignored; on an
     * included one it is thrown.
     */
    public List<String> includedFiles(Path contextDirectory) throws IOException {
        return includedFiles(contextDirectory, directory -> {});
    }

    /** As {@link #includedFiles(Path)}, telling {@code listedDirectories} each directory it reads ("" for the root). */
    List<String> includedFiles(Path contextDirectory, Consumer<String> listedDirectories) throws IOException {
        List<String> files = new ArrayList<>();
        walk(contextDirectory, "", null, files, listedDirectories);
        Collections.sort(files);
        return files;
    }

    private void walk(Path directory, String relative, Match state, List<String> files, Consumer<String> listed)
            throws IOException {
        List<Path> entries;
        try {
            entries = list(directory);
        } catch (AccessDeniedException e) {
            if (state != null && state.excluded()) {
                return;
            }
            throw e;
        } catch (NoSuchFileException e) {
            if (state == null) {
                throw e; // the context directory itself
            }
            return; // removed while walking
        }
        listed.accept(relative);
        for (Path entry : entries) {
            String path = relative.isEmpty() ? entry.getFileName().toString() : relative + "/" + entry.getFileName();
            Match match = match(path, state);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (AccessDeniedException e) {
                if (match.excluded()) {
                    continue;
                }
                throw e;
            } catch (NoSuchFileException e) {
                continue;
            }
            if (attributes.isDirectory()) {
                if (!match.excluded() || exceptionCouldMatchBelow(path)) {
                    walk(entry, path, match, files, listed);
                }
            } else if (!match.excluded() && (attributes.isRegularFile() || attributes.isSymbolicLink())) {
                files.add(path);
            }
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return entries;
    }

    /** Whether some exception pattern could match a path inside this directory (so it must be walked). */
    private boolean exceptionCouldMatchBelow(String directory) {
        String prefix = directory + "/";
        for (Rule rule : rules) {
            if (rule.exception() && rule.couldMatchPathStartingWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which rules match {@code path}, given what matched its parent directory ({@code null} for an entry of the
     * context root); mirrors BuildKit, which skips a rule that cannot change the outcome so far and then does not
     * pass that rule's match on to the directory's entries.
     */
    private Match match(String path, Match parent) {
        boolean[] matched = new boolean[rules.size()];
        boolean excluded = false;
        for (int i = 0; i < matched.length; i++) {
            Rule rule = rules.get(i);
            boolean hit = parent != null && parent.matched()[i];
            if (!hit) {
                if (rule.exception() != excluded) {
                    continue;
                }
                hit = rule.matches(path);
            }
            matched[i] = hit;
            if (hit) {
                excluded = !rule.exception();
            }
        }
        return new Match(excluded, matched);
    }

    private record Match(boolean excluded, boolean[] matched) {}

    private enum Kind {
        /** The pattern is the path. */
        EXACT,
        /** "x**": the path starts with x. */
        PREFIX,
        /** "**x": the path ends with x (or, when x starts with '/', is x without it). */
        SUFFIX,
        /** Anything with a wildcard, class or escape: a regular expression. */
        REGEX
    }

    private record Rule(boolean exception, Kind kind, String text, Pattern regex) {

        static Rule compile(String glob, boolean exception) {
            int[] chars = glob.codePoints().toArray();
            StringBuilder regex = new StringBuilder();
            Kind kind = Kind.EXACT;
            int i = 0;
            while (i < chars.length) {
                boolean first = i == 0;
                int c = chars[i++];
                if (c == '*' && i < chars.length && chars[i] == '*') {
                    i++;
                    if (i < chars.length && chars[i] == '/') {
                        i++;
                    }
                    if (i < chars.length) {
                        regex.append("(?:.*/)?"); // any number of whole directories, including none
                        kind = Kind.REGEX;
                    } else if (kind == Kind.EXACT) {
                        kind = Kind.PREFIX;
                    } else {
                        regex.append(".*");
                        kind = Kind.REGEX;
                    }
                    if (first) {
                        kind = Kind.SUFFIX;
                    }
                } else if (c == '*') {
                    regex.append("[^/]*");
                    kind = Kind.REGEX;
                } else if (c == '?') {
                    regex.append("[^/]");
                    kind = Kind.REGEX;
                } else if (c == '\\') {
                    if (i == chars.length) {
                        throw new IllegalArgumentException("the pattern ends with an escape '\\'");
                    }
                    regex.append(literal(chars[i++]));
                    kind = Kind.REGEX;
                } else if (c == '[') {
                    i = characterClass(chars, i, regex);
                    kind = Kind.REGEX;
                } else if (c == ']') {
                    regex.append(literal(c));
                    kind = Kind.REGEX;
                } else {
                    regex.append(literal(c));
                }
            }
            return switch (kind) {
                case EXACT -> new Rule(exception, kind, glob, null);
                case PREFIX -> new Rule(exception, kind, glob.substring(0, glob.length() - 2), null);
                case SUFFIX -> new Rule(exception, kind, glob.substring(2), null);
                case REGEX -> new Rule(exception, kind, glob, Pattern.compile(regex.toString(), Pattern.UNIX_LINES));
            };
        }

        /** Translates the class after '[' (Go's syntax: '^' negates, ranges, '\' escapes) and returns the index after ']'. */
        private static int characterClass(int[] chars, int i, StringBuilder regex) {
            regex.append('[');
            if (i < chars.length && chars[i] == '^') {
                regex.append('^');
                i++;
            }
            int ranges = 0;
            while (i >= chars.length || chars[i] != ']' || ranges == 0) {
                int low = classCharacter(chars, i);
                i += chars[i] == '\\' ? 2 : 1;
                regex.append(literal(low));
                if (i < chars.length && chars[i] == '-') {
                    int high = classCharacter(chars, i + 1);
                    i += chars[i + 1] == '\\' ? 3 : 2;
                    if (high < low) {
                        throw new IllegalArgumentException("the range in [...] runs backwards");
                    }
                    regex.append('-').append(literal(high));
                }
                ranges++;
            }
            regex.append(']');
            return i + 1;
        }

        private static int classCharacter(int[] chars, int i) {
            if (i >= chars.length) {
                throw new IllegalArgumentException("'[' without a closing ']'");
            }
            if (chars[i] == '-' || chars[i] == ']') {
                throw new IllegalArgumentException("a '[...]' class that is empty or has a stray '-'");
            }
            if (chars[i] == '\\') {
                if (i + 1 >= chars.length) {
                    throw new IllegalArgumentException("'[' without a closing ']'");
                }
                return chars[i + 1];
            }
            return chars[i];
        }

        private static String literal(int codePoint) {
            return "\\x{" + Integer.toHexString(codePoint) + "}";
        }

        boolean matches(String path) {
            return switch (kind) {
                case EXACT -> path.equals(text);
                case PREFIX -> path.startsWith(text);
                case SUFFIX -> path.endsWith(text) || (text.startsWith("/") && path.equals(text.substring(1)));
                case REGEX -> regex.matcher(path).matches();
            };
        }

        /** Whether some path beginning with {@code prefix} could match; may say yes when none can. */
        boolean couldMatchPathStartingWith(String prefix) {
            return switch (kind) {
                case EXACT -> text.startsWith(prefix);
                case PREFIX -> text.startsWith(prefix) || prefix.startsWith(text);
                case SUFFIX -> true;
                case REGEX -> {
                    Matcher matcher = regex.matcher(prefix);
                    yield matcher.matches() || matcher.hitEnd();
                }
            };
        }
    }

    /** Go's {@code filepath.Clean} for '/'-separated paths. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> elements = new ArrayDeque<>();
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                if (!elements.isEmpty() && !elements.peekLast().equals("..")) {
                    elements.removeLast();
                } else if (!rooted) {
                    elements.addLast("..");
                }
                continue;
            }
            elements.addLast(element);
        }
        String joined = String.join("/", elements);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space at both ends. */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return (c >= '\t' && c <= '\r') || c == '\u0085' || Character.isSpaceChar(c);
    }
}
