package io.github.layercache.docker;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.process.OutputLine;
import io.github.layercache.process.ProcessResult;
import io.github.layercache.process.ProcessRunner;
import io.github.layercache.process.ProcessSpec;
import io.github.layercache.process.ProcessTimeoutException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the plugin runs the docker CLI. It owns the executable and the process runner, runs
 * every docker and buildx command with the goal's {@link DockerEnvironment}, logs the command it
 * runs (masked) at debug, and turns "the program cannot be started" into one clear error.
 */
public final class DockerCli {

    /** Where a command's output lines go besides the caller: progress at info, lookups at debug. */
    public enum Echo {
        INFO,
        DEBUG
    }

    /**
     * One docker command, as {@link DockerCommands} writes it.
     *
     * @param args the arguments after the executable
     * @param shownArgs the arguments as logs and messages show them (values that must not be seen masked)
     * @param directory where the command runs, or null for the current directory
     * @param timeout how long it may run
     */
    public record Command(List<String> args, List<String> shownArgs, Path directory, Duration timeout) {

        public Command {
            args = List.copyOf(args);
            shownArgs = List.copyOf(shownArgs);
        }

        static Command of(Duration timeout, String... args) {
            return of(timeout, List.of(args));
        }

        static Command of(Duration timeout, List<String> args) {
            return new Command(args, args, null, timeout);
        }

        Command shownAs(List<String> shown) {
            return new Command(args, shown, directory, timeout);
        }

        Command in(Path workingDirectory) {
            return new Command(args, shownArgs, workingDirectory, timeout);
        }
    }

    private final String executable;
    private final ProcessRunner runner;
    private final BuildLog log;

    public DockerCli(String executable, ProcessRunner runner, BuildLog log) {
        this.executable = executable;
        this.runner = runner;
        this.log = log;
    }

    /** The docker CLI as the user named it: a name on the {@code PATH} or a full path. */
    public String executable() {
        return executable;
    }

    /** The whole command line, executable first, as the process gets it. */
    public List<String> commandLine(List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(executable);
        argv.addAll(args);
        return argv;
    }

    /**
     * Runs a short command to its end and keeps its output; a command that runs past its timeout
     * is stopped and fails like any other, with the timeout as its reason.
     */
    public CapturedRun capture(Command command, DockerEnvironment environment, Echo echo)
            throws LayercacheException, InterruptedException {
        List<String> lines = new ArrayList<>();
        try {
            ProcessResult result = stream(command, environment, (source, line) -> {
                synchronized (lines) {
                    lines.add(line);
                }
                if (echo == Echo.INFO) {
                    log.info(line);
                } else {
                    log.debug(line);
                }
            });
            synchronized (lines) {
                return new CapturedRun(result.exitCode(), lines);
            }
        } catch (ProcessTimeoutException e) {
            synchronized (lines) {
                lines.add("ERROR: " + e.getMessage());
                return new CapturedRun(CapturedRun.TIMED_OUT, lines);
            }
        }
    }

    /**
     * Runs a long command, handing each output line to {@code output} as it comes.
     *
     * @throws ProcessTimeoutException when it ran past its timeout (it was stopped with its children)
     */
    public ProcessResult stream(Command command, DockerEnvironment environment, OutputLine output)
            throws LayercacheException, ProcessTimeoutException, InterruptedException {
        ProcessSpec process = new ProcessSpec(
                commandLine(command.args()),
                command.directory(),
                environment.variables(),
                command.timeout(),
                environment.masked(),
                commandLine(command.shownArgs()));
        log.debug("Running " + process.displayCommand());
        try {
            return runner.run(process, output);
        } catch (ProcessTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw LayercacheException.cannotRunDocker(executable, e);
        }
    }
}
