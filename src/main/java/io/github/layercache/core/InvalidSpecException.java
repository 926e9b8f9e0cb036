package io.github.layercache.core;

/** Bad input, found before anything runs; names the parameter that holds it. */
public class InvalidSpecException extends LayercacheException {

    public InvalidSpecException(String parameter, String message) {
        super(message, parameter);
    }
}
