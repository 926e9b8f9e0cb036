package example;

/** A class so that the jar is not empty. */
public final class Library {}
