package io.github.layercache.inputs;

import io.github.layercache.core.JsonDocuments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steps of a Dockerfile as BuildKit numbers them in its progress output ({@code [deps 3/5] RUN …}):
 * per stage, the {@code FROM} of an image (not of another stage), then every {@code WORKDIR}, {@code RUN},
 * {@code COPY} and {@code ADD}; {@code ENV}, {@code ARG}, {@code LABEL} and the like make no step. A
 * stage is labelled by its name, else {@code stage-<n>} counted from 0; with one stage BuildKit prints
 * no label.
 */
public record DockerfileSteps(List<Stage> stages) {

    private static final Set<String> STEP_INSTRUCTIONS = Set.of("WORKDIR", "RUN", "COPY", "ADD");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    public DockerfileSteps {
        stages = List.copyOf(stages);
    }

    /**
     * A stage.
     *
     * @param label how BuildKit labels its steps
     * @param base what it starts {@code FROM}, as written
     * @param baseStage the earlier stage it builds on, when it does
     * @param steps its steps, numbered from 1
     */
    public record Stage(String label, String base, Optional<String> baseStage, List<Step> steps) {
        public Stage {
            steps = List.copyOf(steps);
        }

        public Optional<Step> step(int index) {
            return index >= 1 && index <= steps.size() ? Optional.of(steps.get(index - 1)) : Optional.empty();
        }
    }

    /**
     * One step.
     *
     * @param index its number in the stage, as {@code [stage index/total]} shows it
     * @param line the Dockerfile line it starts on, from 1
     * @param instruction {@code FROM}, {@code WORKDIR}, {@code RUN}, {@code COPY} or {@code ADD}
     * @param text the instruction as written, continuation lines joined
     * @param sources the context paths a {@code COPY} or {@code ADD} takes (none for other steps, or with {@code --from})
     * @param from the stage or named context a {@code COPY --from} reads, if any
     * @param args the build arguments the step sees: those its stage declared before it ({@code RUN} gets
     *     them all in its environment) and those its text uses
     */
    public record Step(
            int index,
            int line,
            String instruction,
            String text,
            List<String> sources,
            Optional<String> from,
            Set<String> args) {
        public Step {
            sources = List.copyOf(sources);
            args = Set.copyOf(args);
        }
    }

    public static DockerfileSteps parse(String dockerfile) {
        List<Stage> stages = new ArrayList<>();
        List<String> stageNames = new ArrayList<>();
        StageBuilder current = null;
        for (Instruction instruction : instructions(dockerfile)) {
            String keyword = instruction.keyword();
            if (keyword.equals("FROM")) {
                if (current != null) {
                    stages.add(current.build());
                }
                current = new StageBuilder(instruction, stageNames, stages.size());
                stageNames.add(current.name);
            } else if (current != null) {
                current.add(instruction);
            }
        }
        if (current != null) {
            stages.add(current.build());
        }
        if (stages.size() == 1) {
            Stage only = stages.get(0);
            stages.set(0, new Stage("", only.base(), only.baseStage(), only.steps()));
        }
        return new DockerfileSteps(stages);
    }

    /** The stage whose steps BuildKit labels so; the empty label is the only stage's. */
    public Optional<Stage> stage(String label) {
        return stages.stream().filter(s -> s.label().equals(label)).findFirst();
    }

    private record Instruction(int line, String keyword, String text) {}

    /** Instructions with their first line: continuations joined, comments and heredoc bodies kept out. */
    private static List<Instruction> instructions(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = dockerfile.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int first = i;
            StringBuilder text = new StringBuilder();
            String line = lines[i].strip();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                text.append(line, 0, line.length() - 1).append(' ');
                i++;
                line = lines[i].strip();
                while (line.startsWith("#") && i + 1 < lines.length) {
                    i++;
                    line = lines[i].strip();
                }
            }
            text.append(line);
            String joined = text.toString().replaceAll("\\s+", " ").strip();
            Matcher heredoc = HEREDOC.matcher(joined);
            if (heredoc.find()) {
                String end = heredoc.group(1);
                StringBuilder body = new StringBuilder();
                while (i + 1 < lines.length && !lines[i + 1].strip().equals(end)) {
                    body.append('\n').append(lines[++i]);
                }
                i++;
                joined = joined + body;
            }
            int space = joined.indexOf(' ');
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            out.add(new Instruction(first + 1, keyword, joined));
        }
        return out;
    }

    private static final class StageBuilder {
        private final String name;
        private final String base;
        private final Optional<String> baseStage;
        private final List<Step> steps = new ArrayList<>();
        private final Set<String> declared = new LinkedHashSet<>();

        StageBuilder(Instruction from, List<String> earlier, int number) {
            List<String> words = new ArrayList<>(List.of(from.text().split(" ")));
            words.remove(0);
            words.removeIf(w -> w.startsWith("--"));
            this.base = words.isEmpty() ? "" : words.get(0);
            this.name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                    ? words.get(2).toLowerCase(Locale.ROOT)
                    : "stage-" + number;
            this.baseStage = earlier.stream()
                    .filter(s -> s.equals(base.toLowerCase(Locale.ROOT)))
                    .findFirst();
            if (baseStage.isEmpty()) {
                steps.add(
                        new Step(1, from.line(), "FROM", from.text(), List.of(), Optional.empty(), used(from.text())));
            }
        }

        void add(Instruction instruction) {
            String keyword = instruction.keyword();
            if (keyword.equals("ARG")) {
                for (String word : instruction.text().substring(3).strip().split(" ")) {
                    if (!word.isEmpty()) {
                        declared.add(word.split("=", 2)[0]);
                    }
                }
                return;
            }
            if (!STEP_INSTRUCTIONS.contains(keyword)) {
                return;
            }
            Set<String> args = new LinkedHashSet<>();
            Set<String> mentioned = used(instruction.text());
            if (keyword.equals("RUN")) {
                args.addAll(declared);
            } else {
                mentioned.stream().filter(declared::contains).forEach(args::add);
            }
            Optional<String> from = Optional.empty();
            List<String> sources = List.of();
            if (keyword.equals("COPY") || keyword.equals("ADD")) {
                List<String> operands = operands(instruction.text());
                from = flag(instruction.text(), "--from").map(f -> f.toLowerCase(Locale.ROOT));
                if (from.isEmpty() && !HEREDOC.matcher(instruction.text()).find() && operands.size() >= 2) {
                    sources = operands.subList(0, operands.size() - 1);
                }
            }
            steps.add(new Step(steps.size() + 1, instruction.line(), keyword, instruction.text(), sources, from, args));
        }

        Stage build() {
            return new Stage(name, base, baseStage, steps);
        }

        private static Set<String> used(String text) {
            Set<String> names = new LinkedHashSet<>();
            Matcher variable = VARIABLE.matcher(text);
            while (variable.find()) {
                names.add(variable.group(1));
            }
            return names;
        }

        /** The paths of {@code COPY}/{@code ADD}, in the shell form or the JSON form. */
        private static List<String> operands(String text) {
            String rest = text.substring(text.indexOf(' ') + 1).strip();
            List<String> words = new ArrayList<>();
            for (String word : rest.split(" ")) {
                if (!word.startsWith("--") || !words.isEmpty()) {
                    words.add(word);
                }
            }
            String joined = String.join(" ", words);
            if (joined.startsWith("[")) {
                try {
                    List<String> json = new ArrayList<>();
                    JsonDocuments.tree(joined).forEach(node -> json.add(node.asString()));
                    return json;
                } catch (IOException | RuntimeException e) {
                    return words;
                }
            }
            return words;
        }

        private static Optional<String> flag(String text, String name) {
            for (String word : text.split(" ")) {
                if (word.startsWith(name + "=")) {
                    return Optional.of(word.substring(name.length() + 1));
                }
            }
            return Optional.empty();
        }
    }
}
