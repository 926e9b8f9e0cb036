package io.github.layercache.maven;

import io.github.layercache.auth.TokenCache;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * The ECR tokens of this Maven run, one per registry, shared by every module and thread: the
 * plugin's class realm, and so this singleton, lives as long as the build.
 */
@Named
@Singleton
public class SessionTokens {

    private final TokenCache cache = new TokenCache();

    TokenCache cache() {
        return cache;
    }
}
