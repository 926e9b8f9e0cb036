package io.github.layercache.auth;

import io.github.layercache.core.LayercacheException;
import java.util.Optional;
import java.util.function.Supplier;

/** An ECR API made on its first use: a build without ECR registries never loads the AWS SDK. */
public final class LazyEcrApi implements EcrApi {

    private final String caller;
    private final Supplier<EcrApi> factory;
    private EcrApi api;

    /** @param caller who calls, as {@link #caller()} names it before the API exists */
    public LazyEcrApi(String caller, Supplier<EcrApi> factory) {
        this.caller = caller;
        this.factory = factory;
    }

    @Override
    public String caller() {
        return caller;
    }

    private synchronized EcrApi api() {
        if (api == null) {
            api = factory.get();
        }
        return api;
    }

    @Override
    public EcrToken authorizationToken(EcrRegistry registry) throws LayercacheException {
        return api().authorizationToken(registry);
    }

    @Override
    public boolean ensureRepository(EcrRegistry registry, String repository, RepositorySettings settings)
            throws LayercacheException {
        return api().ensureRepository(registry, repository, settings);
    }

    @Override
    public Optional<String> replaceLifecyclePolicy(EcrRegistry registry, String repository, String policy)
            throws LayercacheException {
        return api().replaceLifecyclePolicy(registry, repository, policy);
    }

    @Override
    public Optional<TagMutability> tagMutability(EcrRegistry registry, String repository) throws LayercacheException {
        return api().tagMutability(registry, repository);
    }
}
