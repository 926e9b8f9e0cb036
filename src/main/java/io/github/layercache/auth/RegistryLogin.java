package io.github.layercache.auth;

import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.docker.DockerEnvironment;
import io.github.layercache.log.BuildLog;
import io.github.layercache.registry.RegistryCredential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Logs a goal in to the registries it touches: Amazon ECR through the SDK (one token per registry
 * per session, from the {@link TokenCache}), any other host with the user's server credentials, all
 * into a {@link PrivateDockerConfig}.
 */
public final class RegistryLogin {

    private final EcrApi ecr;
    private final TokenCache tokens;
    private final boolean ecrLogin;
    private final List<EcrRegistry> declaredEcr;
    private final Function<String, Optional<RegistryCredential>> serverCredentials;
    private final BuildLog log;

    /**
     * @param ecrLogin whether ECR registries are logged in to through the SDK
     * @param declaredEcr hosts the user declared as ECR, with their account and region
     * @param serverCredentials the user's credentials for a host (Maven: a settings.xml server whose id is the host)
     */
    public RegistryLogin(
            EcrApi ecr,
            TokenCache tokens,
            boolean ecrLogin,
            List<EcrRegistry> declaredEcr,
            Function<String, Optional<RegistryCredential>> serverCredentials,
            BuildLog log) {
        this.ecr = ecr;
        this.tokens = tokens;
        this.ecrLogin = ecrLogin;
        this.declaredEcr = List.copyOf(declaredEcr);
        this.serverCredentials = serverCredentials;
        this.log = log;
    }

    /** The ECR registry a host is, by declaration or by its form, if ECR login is on. */
    public Optional<EcrRegistry> ecrRegistry(String host) {
        if (!ecrLogin) {
            return Optional.empty();
        }
        return declaredEcr.stream()
                .filter(r -> r.host().equalsIgnoreCase(host))
                .findFirst()
                .or(() -> EcrRegistry.fromHost(host));
    }

    /**
     * Creates the image's ECR repository when it is missing, and with {@code replacePolicy} puts the
     * plugin's lifecycle policy on an existing one, logging the policy it replaced; nothing for a
     * registry that is not ECR.
     *
     * @return true when a repository was created
     */
    public boolean ensureRepository(String host, String repository, RepositorySettings settings)
            throws LayercacheException {
        Optional<EcrRegistry> registry = ecrRegistry(host);
        if (registry.isEmpty()) {
            log.debug("Not creating " + host + "/" + repository + ": " + host + " is not an ECR registry");
            return false;
        }
        boolean created = ecr.ensureRepository(registry.get(), repository, settings);
        if (created) {
            log.info("Created the ECR repository " + repository + " in " + host + " (tags "
                    + (settings.immutableTags() ? "immutable but for the cache and fingerprint tags" : "mutable")
                    + ", scan on push " + (settings.scanOnPush() ? "on" : "off")
                    + (settings.expireDays() > 0
                            ? ", lifecycle policy: branch caches and fingerprint marks expire after "
                                    + settings.expireDays() + " days, untagged images after a day, tagged images never"
                            : "")
                    + ")");
        } else if (settings.replacePolicy() && settings.expireDays() > 0) {
            String policy = settings.lifecyclePolicy();
            Optional<String> previous = ecr.replaceLifecyclePolicy(registry.get(), repository, policy);
            if (previous.isPresent() && JsonDocuments.sameJson(previous.get(), policy)) {
                log.debug("The ECR repository " + repository + " has the plugin's lifecycle policy already");
            } else {
                log.warn("Replaced the lifecycle policy of the ECR repository " + repository + " in " + host + " ("
                        + previous.map(p -> "it was: " + p).orElse("it had none") + ") with the plugin's: " + policy);
            }
        }
        return created;
    }

    /**
     * Whether the ECR repository's tags can move; empty for a host that is not ECR and for a
     * repository that does not exist.
     */
    public Optional<TagMutability> tagMutability(String host, String repository) throws LayercacheException {
        Optional<EcrRegistry> registry = ecrRegistry(host);
        return registry.isEmpty() ? Optional.empty() : ecr.tagMutability(registry.get(), repository);
    }

    /**
     * Gathers the credentials for these hosts and, when there are any, writes them to a private
     * docker config. The caller closes the result, which deletes the directory.
     */
    public Session open(Collection<String> hosts, DockerConfigLocation location) throws LayercacheException {
        List<RegistryCredential> credentials = new ArrayList<>();
        for (String host : new LinkedHashSet<>(hosts)) {
            Optional<EcrRegistry> registry = ecrRegistry(host);
            if (registry.isPresent()) {
                EcrToken token = tokens.token(registry.get(), ecr);
                log.debug(
                        "ECR login for " + host + " (account " + registry.get().account() + ", region "
                                + registry.get().region() + "), token valid until " + token.expiresAt());
                credentials.add(token.credential());
            } else {
                serverCredentials.apply(host).ifPresent(c -> {
                    log.debug("Credentials for " + host + " from the settings.xml server " + host);
                    credentials.add(c);
                });
            }
        }
        if (credentials.isEmpty()) {
            return new Session(null, Set.of(), credentials, location.userConfigDirectory());
        }
        Set<String> secrets = new LinkedHashSet<>();
        for (RegistryCredential credential : credentials) {
            secrets.add(credential.password());
            secrets.add(credential.dockerAuth());
        }
        try {
            return new Session(
                    PrivateDockerConfig.create(
                            location.userConfigDirectory(),
                            location.buildxConfig(),
                            credentials,
                            location.temporaryDirectory()),
                    secrets,
                    credentials,
                    location.userConfigDirectory());
        } catch (IOException e) {
            throw new LayercacheException("Cannot write the private docker config for this build: " + e.getMessage());
        }
    }

    /** A login opened on first use, for a goal that may not need one; closing it closes what was opened. */
    public Lazy lazily(Collection<String> hosts, DockerConfigLocation location) {
        return new Lazy(hosts, location);
    }

    /** See {@link #lazily}. */
    public final class Lazy implements AutoCloseable {
        private final List<String> hosts;
        private final DockerConfigLocation location;
        private Session session;

        private Lazy(Collection<String> hosts, DockerConfigLocation location) {
            this.hosts = List.copyOf(hosts);
            this.location = location;
        }

        /** The login's docker environment, logging in now if this is the first call. */
        public synchronized DockerEnvironment docker() throws LayercacheException {
            if (session == null) {
                session = open(hosts, location);
            }
            return session.docker();
        }

        @Override
        public synchronized void close() throws LayercacheException {
            if (session != null) {
                session.close();
            }
        }
    }

    /** The login of one goal execution: what docker needs, and what must never be printed. */
    public static final class Session implements AutoCloseable {
        private final PrivateDockerConfig config;
        private final Set<String> secrets;
        private final List<RegistryCredential> credentials;
        private final Path userConfigDirectory;

        private Session(
                PrivateDockerConfig config,
                Set<String> secrets,
                List<RegistryCredential> credentials,
                Path userConfigDirectory) {
            this.config = config;
            this.secrets = Set.copyOf(secrets);
            this.credentials = List.copyOf(credentials);
            this.userConfigDirectory = userConfigDirectory;
        }

        /**
         * The user name and password for a registry host, for callers that speak to the registry
         * themselves: this login's own, else a {@code docker login} entry of the user's config.
         * Credential helpers are not asked.
         */
        public Optional<RegistryCredential> credential(String host) {
            return credentials.stream()
                    .filter(c -> c.host().equalsIgnoreCase(host))
                    .findFirst()
                    .or(() -> PrivateDockerConfig.userCredential(userConfigDirectory, host));
        }

        /**
         * What docker and buildx run with: the private config's variables (none when nothing needed
         * a login), and the passwords and tokens to mask.
         */
        public DockerEnvironment docker() {
            return new DockerEnvironment(config == null ? Map.of() : config.environment(), secrets);
        }

        @Override
        public void close() throws LayercacheException {
            if (config == null) {
                return;
            }
            try {
                config.close();
            } catch (IOException e) {
                throw new LayercacheException(
                        "Could not delete the private docker config " + config.directory() + ": " + e.getMessage());
            }
        }
    }
}
