package io.github.layercache.push;

import io.github.layercache.core.LayercacheException;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.CapturedRun;
import io.github.layercache.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Asks a registry which digest a tag names, with {@code docker buildx imagetools inspect}: nothing is pulled. */
public final class RegistryImages {

    private static final Duration QUICK = Duration.ofMinutes(1);

    private final ProcessRunner runner;
    private final String docker;
    private final BuildLog log;

    public RegistryImages(ProcessRunner runner, String docker, BuildLog log) {
        this.runner = runner;
        this.docker = docker;
        this.log = log;
    }

    /**
     * The digest the registry serves for {@code ref}, or empty when it has no such tag or repository.
     *
     * @throws LayercacheException when the registry cannot be asked (unreachable, refused)
     */
    public Optional<String> digest(String ref, Map<String, String> environment, Set<String> redactions)
            throws LayercacheException, InterruptedException {
        List<String> argv = List.of(docker, "buildx", "imagetools", "inspect", ref, "--format", "{{json .Manifest}}");
        log.debug("Running " + String.join(" ", argv));
        CapturedRun run;
        try {
            run = CapturedRun.of(runner, argv, QUICK, environment, redactions, BuildLog::debug, log);
        } catch (IOException e) {
            throw LayercacheException.cannotRunDocker(docker, e);
        }
        if (run.succeeded()) {
            return Optional.of(ImagePusher.manifestDigest(run.output(), ref));
        }
        String reason = run.lastErrorLine();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("name unknown")) {
            return Optional.empty();
        }
        throw new LayercacheException("Cannot ask the registry about " + ref + ": " + reason);
    }
}
