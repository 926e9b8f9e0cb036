package io.github.layercache.log;

/** Where the core reports progress; the Maven side adapts it to the Maven log. */
public interface BuildLog {

    void debug(String message);

    void info(String message);

    void warn(String message);
}
