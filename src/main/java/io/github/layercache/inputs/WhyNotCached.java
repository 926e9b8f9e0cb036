package io.github.layercache.inputs;

import io.github.layercache.inputs.InputsRecord.FileState;
import io.github.layercache.inputs.InputsRecord.RecordedStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Names, for each step a build ran instead of taking it from the cache, the first input that differs
 * from what the cache was made from: a file under a {@code COPY}, a file's mode, a build argument, the
 * base image, a Dockerfile line. A step that ran only because one before it ran (in its stage, in the
 * stage it builds on, in the stage it copies from) is listed under that one, not blamed itself.
 */
public final class WhyNotCached {

    /** How many file names a cause lists before "…". */
    private static final int NAMES_SHOWN = 3;

    private static final Set<String> VOLATILE_LOOKING = Set.of("SOURCE_DATE_EPOCH");

    /** Said of a step that ran although none of its inputs changed. */
    static final String INPUTS_UNCHANGED = "its inputs are the ones recorded with the cache, but the cache does not"
            + " hold this step (it was exported with mode=min, overwritten by a build of other inputs, or not matched"
            + " by BuildKit)";

    /**
     * The cause of one miss.
     *
     * @param step the step as BuildKit named it
     * @param cause why it was not taken from the cache
     * @param after the steps that ran only because this one did
     */
    public record Miss(String step, String cause, List<String> after) {
        public Miss {
            after = List.copyOf(after);
        }

        /** The log line. */
        public String line() {
            String line = step + ": not cached: " + cause;
            if (after.isEmpty()) {
                return line;
            }
            return line + "; so " + (after.size() == 1 ? "1 step" : after.size() + " steps") + " after it ran too ("
                    + String.join(", ", after) + ")";
        }
    }

    /**
     * What a comparison found: the misses with their causes, and the common mistakes behind them, each named once.
     *
     * @param misses one per step whose own inputs changed
     * @param hints what to change so that it does not happen on every build
     */
    public record Report(List<Miss> misses, List<String> hints) {
        public Report {
            misses = List.copyOf(misses);
            hints = List.copyOf(hints);
        }

        public Optional<String> firstCause() {
            return misses.stream().findFirst().map(Miss::cause);
        }
    }

    private final DockerfileSteps dockerfile;
    private final InputsRecord now;
    private final String key;
    private final Set<String> hints = new LinkedHashSet<>();

    /**
     * @param dockerfile this build's Dockerfile
     * @param now this build's inputs
     * @param key the secret of the build arguments' hashes (empty when there is none)
     */
    public WhyNotCached(DockerfileSteps dockerfile, InputsRecord now, String key) {
        this.dockerfile = dockerfile;
        this.now = now;
        this.key = key;
    }

    /**
     * Explains the steps that ran.
     *
     * @param runs the steps as BuildKit showed them
     * @param before what the imported cache was made from, when it was recorded
     * @param noRecord what to say when there is nothing to compare with
     * @param argumentValues this build's argument values, to compare with the recorded keyed hashes
     */
    public Report explain(
            List<StepRun> runs, Optional<InputsRecord> before, String noRecord, Map<String, String> argumentValues) {
        // A step BuildKit downloaded from the cache for a later one (not marked CACHED) did not run.
        List<StepRun> ran = runs.stream()
                .filter(run -> !run.cached() && !run.from())
                .filter(run ->
                        !(run.pulledLayers() && before.isPresent() && isUnchanged(run, before.get(), argumentValues)))
                .toList();
        Map<String, List<StepRun>> ranByStage = new LinkedHashMap<>();
        for (StepRun run : ran) {
            ranByStage.computeIfAbsent(run.stage(), s -> new ArrayList<>()).add(run);
        }
        List<PendingMiss> misses = new ArrayList<>();
        // The miss each stage's later steps belong to: its own latest, or the one of the stage it follows.
        Map<String, PendingMiss> current = new LinkedHashMap<>();
        for (StepRun run : ran) {
            PendingMiss owner = consequenceOf(run, ranByStage).map(current::get).orElse(null);
            if (owner != null && !owner.inputsUnchanged) {
                // It ran because an earlier step did, whose inputs changed: listed under that one.
                owner.after.add(run.name());
                current.putIfAbsent(run.stage(), owner);
                continue;
            }
            String why = before.isEmpty() ? noRecord : cause(run, before.get(), argumentValues);
            if (owner != null && why.equals(INPUTS_UNCHANGED)) {
                owner.after.add(run.name());
                current.putIfAbsent(run.stage(), owner);
                continue;
            }
            // A first miss, or one after a step BuildKit missed with unchanged inputs: its own cause counts.
            PendingMiss miss = new PendingMiss(run.name(), why, before.isPresent() && why.equals(INPUTS_UNCHANGED));
            misses.add(miss);
            current.put(run.stage(), miss);
        }
        return new Report(
                misses.stream().map(m -> new Miss(m.step, m.cause, m.after)).toList(), List.copyOf(hints));
    }

    /** Whether nothing the step takes differs from the record (asked without naming the common mistakes). */
    private boolean isUnchanged(StepRun run, InputsRecord before, Map<String, String> argumentValues) {
        Set<String> saved = new LinkedHashSet<>(hints);
        boolean unchanged = cause(run, before, argumentValues).equals(INPUTS_UNCHANGED);
        hints.retainAll(saved);
        return unchanged;
    }

    /** A miss being gathered, with the steps that ran after it. */
    private static final class PendingMiss {
        private final String step;
        private final String cause;
        private final boolean inputsUnchanged;
        private final List<String> after = new ArrayList<>();

        PendingMiss(String step, String cause, boolean inputsUnchanged) {
            this.step = step;
            this.cause = cause;
            this.inputsUnchanged = inputsUnchanged;
        }
    }

    /** The stage whose miss made this step run, when an earlier step it depends on ran. */
    private Optional<String> consequenceOf(StepRun run, Map<String, List<StepRun>> ranByStage) {
        List<StepRun> sameStage = ranByStage.getOrDefault(run.stage(), List.of());
        if (!sameStage.isEmpty() && sameStage.get(0).index() < run.index()) {
            return Optional.of(run.stage());
        }
        Optional<DockerfileSteps.Stage> stage = dockerfile.stage(run.stage());
        if (stage.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> base = stage.get().baseStage();
        if (base.isPresent() && ranByStage.containsKey(base.get())) {
            return base;
        }
        Optional<String> copiedFrom = stage.get().step(run.index()).flatMap(DockerfileSteps.Step::from);
        if (copiedFrom.isPresent() && ranByStage.containsKey(copiedFrom.get())) {
            return copiedFrom;
        }
        return Optional.empty();
    }

    private String cause(StepRun run, InputsRecord before, Map<String, String> argumentValues) {
        if (!before.platforms().equals(now.platforms())) {
            return "the platform changed (" + String.join(",", before.platforms()) + " -> "
                    + String.join(",", now.platforms()) + ")";
        }
        String root = rootStage(run.stage());
        String baseBefore = before.baseImages().get(root);
        String baseNow = now.baseImages().get(root);
        if (baseBefore != null && baseNow != null && !baseBefore.equals(baseNow)) {
            return "base image " + withoutDigest(baseNow) + " moved to " + shortDigest(baseNow) + " (it was "
                    + shortDigest(baseBefore) + ")";
        }
        Optional<DockerfileSteps.Step> step = dockerfile.stage(run.stage()).flatMap(s -> s.step(run.index()));
        if (step.isEmpty()) {
            return "the step is not in the Dockerfile the plugin read";
        }
        Optional<RecordedStep> recorded = before.steps().stream()
                .filter(r -> r.stage().equals(run.stage()) && r.index() == run.index())
                .findFirst();
        if (recorded.isEmpty()) {
            return "Dockerfile line " + step.get().line() + " is new (the cache's build had no such step)";
        }
        if (!recorded.get().text().equals(step.get().text())) {
            return "Dockerfile line " + step.get().line() + " changed (it was: "
                    + abbreviated(recorded.get().text()) + ")";
        }
        Optional<String> files = filesChanged(step.get(), before);
        if (files.isPresent()) {
            return files.get();
        }
        for (String arg : step.get().args()) {
            String value = argumentValues.get(arg);
            if (!before.sameArgument(key, arg, value)) {
                if (VOLATILE_LOOKING.contains(arg)) {
                    hints.add("SOURCE_DATE_EPOCH changes the cache key of every RUN that sees it: set it from the"
                            + " commit's time (not the build's), or declare it only in the last stage.");
                }
                if (step.get().instruction().equals("RUN") && !uses(step.get().text(), arg)) {
                    hints.add("A RUN step sees every ARG its stage declared before it, used or not: declare a"
                            + " build argument that changes from build to build (a build number, a commit) just"
                            + " above the step that needs it, as late as possible.");
                    return "build argument " + arg + " changed (the step does not use it, but sees every ARG"
                            + " declared above it in its stage)";
                }
                return "build argument " + arg + " changed";
            }
        }
        return INPUTS_UNCHANGED;
    }

    /** Whether the instruction's text names the variable ({@code $NAME} or {@code ${NAME…}}). */
    private static boolean uses(String text, String variable) {
        return Pattern.compile("\\$\\{?" + Pattern.quote(variable) + "(?![A-Za-z0-9_])")
                .matcher(text)
                .find();
    }

    /** The stage whose {@code FROM} names an image, following stages built on stages. */
    private String rootStage(String label) {
        String current = label;
        for (int hops = 0; hops < 50; hops++) {
            Optional<String> base = dockerfile.stage(current).flatMap(DockerfileSteps.Stage::baseStage);
            if (base.isEmpty()) {
                return current;
            }
            current = base.get();
        }
        return current;
    }

    /** What changed among the files a {@code COPY}/{@code ADD} takes, from the context or a named context. */
    private Optional<String> filesChanged(DockerfileSteps.Step step, InputsRecord before) {
        Predicate<String> taken;
        // Past MAX_FILES the records hold one hash per top-level directory ("src/") or file: those a source reaches.
        Predicate<String> takenTopLevel;
        boolean wholeContext = false;
        if (step.from().isPresent()) {
            String context = step.from().get() + ":";
            if (dockerfile.stage(step.from().get()).isPresent()) {
                return Optional.empty();
            }
            taken = path -> path.startsWith(context);
            takenTopLevel = taken;
        } else if (!step.sources().isEmpty()) {
            List<Predicate<String>> sources = new ArrayList<>();
            List<Predicate<String>> topLevels = new ArrayList<>();
            for (String source : step.sources()) {
                String s = source.startsWith("./") ? source.substring(2) : source;
                if (s.equals(".") || s.equals("/") || s.isEmpty()) {
                    wholeContext = true;
                    sources.add(path -> !path.contains(":"));
                    topLevels.add(path -> !path.contains(":"));
                } else {
                    String trimmed = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
                    sources.add(matcher(trimmed));
                    int slash = trimmed.indexOf('/');
                    Predicate<String> first = matcher(slash < 0 ? trimmed : trimmed.substring(0, slash));
                    topLevels.add(key -> first.test(key.endsWith("/") ? key.substring(0, key.length() - 1) : key));
                }
            }
            taken = path -> sources.stream().anyMatch(p -> p.test(path));
            takenTopLevel = key -> topLevels.stream().anyMatch(p -> p.test(key));
        } else {
            return Optional.empty();
        }
        if (before.truncated() || now.truncated()) {
            return directoriesChanged(before, takenTopLevel);
        }
        List<String> changed = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Set<String> paths = new TreeSet<>(before.files().keySet());
        paths.addAll(now.files().keySet());
        for (String path : paths) {
            if (!taken.test(path)) {
                continue;
            }
            FileState was = before.files().get(path);
            FileState is = now.files().get(path);
            if (was == null) {
                added.add(path);
            } else if (is == null) {
                removed.add(path);
            } else if (!was.sha256().equals(is.sha256())) {
                changed.add(path);
            } else if (!was.mode().equals(is.mode())) {
                modes.add("mode of " + path + " " + was.mode() + " -> " + is.mode());
            }
        }
        List<String> parts = new ArrayList<>();
        if (!changed.isEmpty()) {
            parts.add(changed.size() == 1 ? changed.get(0) + " changed" : count(changed, "changed"));
        }
        if (!added.isEmpty()) {
            parts.add(count(added, "added"));
        }
        if (!removed.isEmpty()) {
            parts.add(count(removed, "removed"));
        }
        if (!modes.isEmpty()) {
            parts.add(String.join(", ", modes.subList(0, Math.min(NAMES_SHOWN, modes.size())))
                    + (modes.size() > NAMES_SHOWN ? " and " + (modes.size() - NAMES_SHOWN) + " more" : ""));
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        if (wholeContext) {
            List<String> touched = new ArrayList<>(changed);
            touched.addAll(added);
            boolean churn = touched.stream().anyMatch(p -> p.startsWith("target/") || p.startsWith(".git/"));
            if (churn) {
                hints.add("COPY . takes in target/ or .git, which change with every build: list them in"
                        + " .dockerignore (and copy the files the image needs by name).");
            }
            if (!now.dockerignore()) {
                hints.add("The context has no .dockerignore, so COPY . sends every file in it, and any change"
                        + " anywhere rebuilds from that step on.");
            }
        }
        return Optional.of(String.join("; ", parts));
    }

    private Optional<String> directoriesChanged(InputsRecord before, Predicate<String> taken) {
        Map<String, String> was =
                before.truncated() ? before.directories() : InputsRecord.directoryHashes(before.files());
        Map<String, String> is = now.truncated() ? now.directories() : InputsRecord.directoryHashes(now.files());
        Set<String> all = new TreeSet<>(was.keySet());
        all.addAll(is.keySet());
        List<String> changed = all.stream()
                .filter(taken)
                .filter(d -> !Objects.equals(was.get(d), is.get(d)))
                .toList();
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("files under " + String.join(", ", changed) + " changed (past " + InputsRecord.MAX_FILES
                + " files the record keeps one hash per top-level directory)");
    }

    /** A {@code COPY} source as Go's path matching reads it: {@code *} and {@code ?} within a path segment. */
    private static Predicate<String> matcher(String source) {
        if (!source.contains("*") && !source.contains("?") && !source.contains("[")) {
            return path -> path.equals(source) || path.startsWith(source + "/");
        }
        StringBuilder regex = new StringBuilder();
        for (char c : source.toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                case '[', ']' -> regex.append(c);
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern pattern = Pattern.compile(regex + "(/.*)?");
        return path -> pattern.matcher(path).matches();
    }

    private static String count(List<String> paths, String what) {
        String names = String.join(", ", paths.subList(0, Math.min(NAMES_SHOWN, paths.size())));
        return paths.size() + (paths.size() == 1 ? " file " : " files ") + what + " (" + names
                + (paths.size() > NAMES_SHOWN ? ", …" : "") + ")";
    }

    private static String withoutDigest(String reference) {
        int at = reference.indexOf('@');
        return at < 0 ? reference : reference.substring(0, at);
    }

    private static String shortDigest(String reference) {
        int at = reference.indexOf('@');
        String digest = at < 0 ? reference : reference.substring(at + 1);
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
