package io.github.layercache.auth;

import io.github.layercache.core.LayercacheException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An {@link EcrApi} that hands out fixed tokens and records what it was asked, for tests. */
final class FakeEcrApi implements EcrApi {

    /** One {@link #ensureRepository} call. */
    record EnsureCall(EcrRegistry registry, String repository, RepositorySettings settings) {}

    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final List<EcrRegistry> tokenRegistries = new ArrayList<>();
    private final List<EnsureCall> ensureCalls = new ArrayList<>();

    volatile String password = "ecr-token-password-1";
    volatile Supplier<Instant> expiresAt = () -> Instant.now().plus(Duration.ofHours(12));
    volatile Duration delay = Duration.ZERO;
    volatile LayercacheException failure;
    volatile boolean created = true;
    volatile String caller = "";

    @Override
    public String caller() {
        return caller;
    }

    @Override
    public EcrToken authorizationToken(EcrRegistry registry) throws LayercacheException {
        tokenCalls.incrementAndGet();
        synchronized (tokenRegistries) {
            tokenRegistries.add(registry);
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LayercacheException("interrupted");
            }
        }
        LayercacheException toThrow = failure;
        if (toThrow != null) {
            throw toThrow;
        }
        return new EcrToken(registry, "AWS", password, expiresAt.get());
    }

    @Override
    public boolean ensureRepository(EcrRegistry registry, String repository, RepositorySettings settings) {
        synchronized (ensureCalls) {
            ensureCalls.add(new EnsureCall(registry, repository, settings));
        }
        return created;
    }

    /** The policy each repository has, for {@link #replaceLifecyclePolicy}; what replaced it is recorded here too. */
    final java.util.Map<String, String> policies = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<String> replaceLifecyclePolicy(EcrRegistry registry, String repository, String policy) {
        return java.util.Optional.ofNullable(policies.put(repository, policy));
    }

    /** What {@link #tagMutability} answers per repository; a repository not in it does not exist. */
    final java.util.Map<String, TagMutability> mutability = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.util.Optional<TagMutability> tagMutability(EcrRegistry registry, String repository) {
        return java.util.Optional.ofNullable(mutability.get(repository));
    }

    int tokenCalls() {
        return tokenCalls.get();
    }

    List<EcrRegistry> tokenRegistries() {
        synchronized (tokenRegistries) {
            return List.copyOf(tokenRegistries);
        }
    }

    List<EnsureCall> ensureCalls() {
        synchronized (ensureCalls) {
            return List.copyOf(ensureCalls);
        }
    }
}
