package io.github.layercache.push;

import io.github.layercache.core.LayercacheException;

/** The registry refused the push for a reason that retrying cannot fix (credentials, an immutable tag). */
public class PushRejectedException extends LayercacheException {

    public PushRejectedException(String message) {
        super(message);
    }
}
