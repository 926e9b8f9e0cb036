package io.github.layercache.spec;

/**
 * A build secret passed with {@code --secret}: its value comes from a file or an environment
 * variable and never appears on the command line.
 */
public record BuildSecret(String id, Source source, String location) {

    public enum Source {
        FILE,
        ENV
    }

    public String toArgument() {
        return "id=" + id + (source == Source.FILE ? ",src=" : ",env=") + location;
    }
}
