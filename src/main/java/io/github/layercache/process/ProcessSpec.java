package io.github.layercache.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable description of a child process to run.
 *
 * @param command the program and its arguments; a secret a user forces onto it is in {@code redactions}
 * @param workingDirectory where the child starts, or {@code null} for the current directory
 * @param environment variables added to (or replacing) the inherited environment
 * @param timeout how long the child may run before it and its descendants are killed
 * @param redactions strings masked in every line the child prints (tokens, passwords)
 * @param shownCommand the command as logs and messages show it, with secrets already masked
 */
public record ProcessSpec(
        List<String> command,
        Path workingDirectory,
        Map<String, String> environment,
        Duration timeout,
        Set<String> redactions,
        List<String> shownCommand) {

    public ProcessSpec {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        shownCommand = List.copyOf(shownCommand);
        if (shownCommand.size() != command.size()) {
            throw new IllegalArgumentException("the shown command must have one entry per argument");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        redactions = Set.copyOf(redactions);
    }

    /** The command as one line for logs, with every redaction masked. */
    public String displayCommand() {
        return new Redactor(redactions).redact(String.join(" ", shownCommand));
    }
}
