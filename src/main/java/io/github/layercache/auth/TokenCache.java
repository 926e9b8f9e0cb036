package io.github.layercache.auth;

import io.github.layercache.core.LayercacheException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * ECR tokens for one Maven session, one per registry host, shared by all modules and threads: the
 * first caller for a host fetches it while the others wait, and a token close to its expiry is
 * fetched again.
 */
public final class TokenCache {

    /** Renew this long before {@code expiresAt}, so that a long build never pushes with a dead token. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(15);

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenCache() {
        this(Clock.systemUTC());
    }

    public TokenCache(Clock clock) {
        this.clock = clock;
    }

    public EcrToken token(EcrRegistry registry, EcrApi api) throws LayercacheException {
        Entry entry = entries.computeIfAbsent(
                registry.host() + " " + registry.account() + " " + registry.region() + " " + api.caller(),
                key -> new Entry());
        synchronized (entry) {
            if (entry.token == null
                    || !clock.instant().isBefore(entry.token.expiresAt().minus(RENEW_BEFORE))) {
                entry.token = api.authorizationToken(registry);
            }
            return entry.token;
        }
    }

    private static final class Entry {
        private EcrToken token;
    }
}
