package io.github.layercache.testing;

import io.github.layercache.process.OutputLine;
import io.github.layercache.process.ProcessResult;
import io.github.layercache.process.ProcessRunner;
import io.github.layercache.process.ProcessSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The docker CLI of the unit tests, under the real {@code DockerCli}: it records every command it
 * is asked to run and answers it with the newest reply registered for it, chosen by its subcommand
 * ({@code "buildx inspect"}) or by any condition on the call. Options are read by name, never by
 * position. A command that no reply expects fails the test.
 */
public final class FakeDocker implements ProcessRunner {

    /** How long every faked command took. */
    public static final Duration DURATION = Duration.ofMillis(4321);

    /** One command the fake was asked to run. */
    public record Call(ProcessSpec spec) {

        /** The arguments after the executable. */
        public List<String> args() {
            return spec.command().subList(1, spec.command().size());
        }

        /** Whether the arguments start with these words, e.g. {@code "buildx imagetools create"}. */
        public boolean is(String subcommand) {
            List<String> words = List.of(subcommand.split(" "));
            return args().size() >= words.size()
                    && args().subList(0, words.size()).equals(words);
        }

        /** The value after {@code --name}-style option {@code name}, or null when it is not given. */
        public String option(String name) {
            int at = args().indexOf(name);
            return at < 0 || at + 1 >= args().size() ? null : args().get(at + 1);
        }

        /** Every value of an option given more than once, such as {@code --tag}. */
        public List<String> options(String name) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i + 1 < args().size(); i++) {
                if (args().get(i).equals(name)) {
                    values.add(args().get(i + 1));
                }
            }
            return values;
        }

        public boolean has(String flag) {
            return args().contains(flag);
        }

        /** The last argument: the build context, the image of a push. */
        public String last() {
            return args().get(args().size() - 1);
        }
    }

    /** What the fake answers to a call: it prints to {@code out} and returns how the command ended. */
    @FunctionalInterface
    public interface Reply {
        ProcessResult answer(Call call, OutputLine out) throws IOException, InterruptedException;
    }

    private record Rule(Predicate<Call> condition, Reply reply) {}

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Answers every command whose arguments start with {@code subcommand}; newer replies win. */
    public FakeDocker on(String subcommand, Reply reply) {
        return when(call -> call.is(subcommand), reply);
    }

    /** Answers every command that meets {@code condition}; newer replies win. */
    public FakeDocker when(Predicate<Call> condition, Reply reply) {
        rules.add(0, new Rule(condition, reply));
        return this;
    }

    @Override
    public ProcessResult run(ProcessSpec spec, OutputLine out) throws IOException, InterruptedException {
        Call call = new Call(spec);
        calls.add(call);
        for (Rule rule : rules) {
            if (rule.condition().test(call)) {
                return rule.reply().answer(call, out);
            }
        }
        throw new AssertionError("unexpected docker command " + spec.command());
    }

    /** Every call so far, in order. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls of one subcommand, in order. */
    public List<Call> calls(String subcommand) {
        return calls().stream().filter(c -> c.is(subcommand)).toList();
    }

    /** Every command line so far, executable first. */
    public List<List<String>> commands() {
        return calls().stream().map(c -> c.spec().command()).toList();
    }

    /** Every process spec so far (environment, timeout, masked values, shown command). */
    public List<ProcessSpec> specs() {
        return calls().stream().map(Call::spec).toList();
    }

    // ---------------------------------------------------------------- replies

    public static ProcessResult exit(int code) {
        return new ProcessResult(code, DURATION);
    }

    /** Prints these lines on standard output and exits with {@code code}. */
    public static Reply stdout(int code, String... lines) {
        return stdout(code, List.of(lines));
    }

    public static Reply stdout(int code, List<String> lines) {
        return (call, out) -> {
            lines.forEach(line -> out.accept(OutputLine.Stream.STDOUT, line));
            return exit(code);
        };
    }

    /** Prints these lines on standard error and exits with {@code code}, as docker reports problems and progress. */
    public static Reply stderr(int code, String... lines) {
        return stderr(code, List.of(lines));
    }

    public static Reply stderr(int code, List<String> lines) {
        return (call, out) -> {
            lines.forEach(line -> out.accept(OutputLine.Stream.STDERR, line));
            return exit(code);
        };
    }

    /** The first reply for the first call, the second for the second, and the last one from then on. */
    public static Reply inTurn(Reply... replies) {
        AtomicInteger next = new AtomicInteger();
        return (call, out) -> replies[Math.min(next.getAndIncrement(), replies.length - 1)].answer(call, out);
    }

    /** A program that cannot be started, or a timeout ({@code ProcessTimeoutException}). */
    public static Reply throwing(IOException e) {
        return (call, out) -> {
            throw e;
        };
    }
}
