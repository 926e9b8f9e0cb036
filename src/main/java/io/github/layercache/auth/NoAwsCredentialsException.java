package io.github.layercache.auth;

import io.github.layercache.core.LayercacheException;

/** The default credentials chain found no AWS credentials for an ECR call. */
public final class NoAwsCredentialsException extends LayercacheException {

    NoAwsCredentialsException(String message, String parameter) {
        super(message, parameter);
    }
}
