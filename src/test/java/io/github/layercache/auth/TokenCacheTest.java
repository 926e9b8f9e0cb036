package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.LayercacheException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenCacheTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private static final EcrRegistry ONE =
            new EcrRegistry("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012", "eu-west-1");
    private static final EcrRegistry TWO =
            new EcrRegistry("210987654321.dkr.ecr.us-east-1.amazonaws.com", "210987654321", "us-east-1");

    private final MutableClock clock = new MutableClock(START);
    private final FakeEcrApi api = new FakeEcrApi();
    private final TokenCache cache = new TokenCache(clock);

    TokenCacheTest() {
        api.expiresAt = () -> clock.instant().plus(Duration.ofHours(1));
    }

    @Test
    void oneFetchServesManyCalls() throws LayercacheException {
        EcrToken first = cache.token(ONE, api);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(cache.token(ONE, api)).isSameAs(first);
        }

        assertThat(api.tokenCalls()).isEqualTo(1);
        assertThat(first.registry()).isEqualTo(ONE);
        assertThat(first.password()).isEqualTo(api.password);
    }

    @Test
    void eachHostGetsItsOwnToken() throws LayercacheException {
        api.password = "one";
        EcrToken one = cache.token(ONE, api);
        api.password = "two";
        EcrToken two = cache.token(TWO, api);

        assertThat(api.tokenCalls()).isEqualTo(2);
        assertThat(api.tokenRegistries()).containsExactly(ONE, TWO);
        assertThat(one.password()).isEqualTo("one");
        assertThat(two.password()).isEqualTo("two");
        assertThat(cache.token(ONE, api)).isSameAs(one);
        assertThat(cache.token(TWO, api)).isSameAs(two);
        assertThat(api.tokenCalls()).isEqualTo(2);
    }

    @Test
    void aTokenIsKeptUntilFifteenMinutesBeforeItExpiresAndRenewedThen() throws LayercacheException {
        EcrToken first = cache.token(ONE, api); // expires at START + 1h

        clock.set(START.plus(Duration.ofMinutes(44)).plusSeconds(59));
        assertThat(cache.token(ONE, api)).isSameAs(first);
        assertThat(api.tokenCalls()).isEqualTo(1);

        clock.set(START.plus(Duration.ofMinutes(45)).plusSeconds(1));
        api.password = "renewed";
        EcrToken second = cache.token(ONE, api);
        assertThat(api.tokenCalls()).isEqualTo(2);
        assertThat(second).isNotSameAs(first);
        assertThat(second.password()).isEqualTo("renewed");

        // the renewed token is kept in turn
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.token(ONE, api)).isSameAs(second);
        assertThat(api.tokenCalls()).isEqualTo(2);
    }

    @Test
    void exactlyFifteenMinutesBeforeExpiryRenews() throws LayercacheException {
        cache.token(ONE, api);

        clock.set(START.plus(Duration.ofHours(1)).minus(TokenCache.RENEW_BEFORE));
        cache.token(ONE, api);

        assertThat(TokenCache.RENEW_BEFORE).isEqualTo(Duration.ofMinutes(15));
        assertThat(api.tokenCalls()).isEqualTo(2);
    }

    @Test
    void anAlreadyExpiredTokenIsRenewed() throws LayercacheException {
        api.expiresAt = () -> clock.instant().plus(Duration.ofMinutes(10)); // shorter than the renewal margin
        cache.token(ONE, api);
        cache.token(ONE, api);

        assertThat(api.tokenCalls()).isEqualTo(2);
    }

    @Test
    void concurrentCallersForOneHostShareOneFetch() throws Exception {
        api.delay = Duration.ofMillis(100);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<EcrToken>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<EcrToken> task = () -> {
                    ready.countDown();
                    go.await();
                    return cache.token(ONE, api);
                };
                results.add(pool.submit(task));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            Set<EcrToken> tokens = results.stream()
                    .map(future -> {
                        try {
                            return future.get(20, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .collect(Collectors.toCollection(
                            () -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>())));

            assertThat(api.tokenCalls()).isEqualTo(1);
            assertThat(tokens).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureReachesTheCallerAndTheNextCallTriesAgain() throws LayercacheException {
        LayercacheException denied = new LayercacheException("denied", "awsProfile");
        api.failure = denied;

        LayercacheException thrown = catchThrowableOfType(LayercacheException.class, () -> cache.token(ONE, api));
        assertThat(thrown).isSameAs(denied);

        api.failure = null;
        EcrToken token = cache.token(ONE, api);

        assertThat(token.password()).isEqualTo(api.password);
        assertThat(api.tokenCalls()).isEqualTo(2);
        assertThat(cache.token(ONE, api)).isSameAs(token);
        assertThat(api.tokenCalls()).isEqualTo(2);
    }

    @Test
    void aFailureForOneHostDoesNotAffectAnother() throws LayercacheException {
        EcrToken two = cache.token(TWO, api);
        api.failure = new LayercacheException("boom");

        assertThat(catchThrowableOfType(LayercacheException.class, () -> cache.token(ONE, api)))
                .isNotNull();
        assertThat(cache.token(TWO, api)).isSameAs(two);
    }

    @Test
    void anotherCallerGetsItsOwnToken() throws Exception {
        FakeEcrApi other = new FakeEcrApi();
        other.caller = "profile=prod region=null";
        cache.token(ONE, api);
        cache.token(ONE, other);
        cache.token(ONE, other);

        assertThat(api.tokenCalls()).isEqualTo(1);
        assertThat(other.tokenCalls()).isEqualTo(1);
    }
}
