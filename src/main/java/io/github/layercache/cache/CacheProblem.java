package io.github.layercache.cache;

/** A cache import or export that did not work; a missing cache on a first build is {@link #isMiss()}. */
public record CacheProblem(Direction direction, String target, String message) {

    public enum Direction {
        IMPORT,
        EXPORT
    }

    /** The cache does not exist yet: normal on a first build, not a fault. */
    public boolean isMiss() {
        return direction == Direction.IMPORT && message.endsWith("not found");
    }
}
