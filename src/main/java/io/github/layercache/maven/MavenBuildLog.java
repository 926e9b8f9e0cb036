package io.github.layercache.maven;

import io.github.layercache.log.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** The core's log on Maven's; in a parallel build every line carries the module's name. */
final class MavenBuildLog implements BuildLog {

    private final Log log;
    private final String prefix;

    MavenBuildLog(Log log, String module, boolean parallel) {
        this.log = log;
        this.prefix = parallel ? "[" + module + "] " : "";
    }

    @Override
    public void debug(String message) {
        if (log.isDebugEnabled()) {
            log.debug(prefix + message);
        }
    }

    @Override
    public void info(String message) {
        log.info(prefix + message);
    }

    @Override
    public void warn(String message) {
        log.warn(prefix + message);
    }
}
