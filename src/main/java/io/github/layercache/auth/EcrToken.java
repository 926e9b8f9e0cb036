package io.github.layercache.auth;

import io.github.layercache.registry.RegistryCredential;
import java.time.Instant;

/** An ECR authorization token for one registry, as user name and password. Its string form hides the password. */
public record EcrToken(EcrRegistry registry, String username, String password, Instant expiresAt) {

    public RegistryCredential credential() {
        return new RegistryCredential(registry.host(), username, password);
    }

    @Override
    public String toString() {
        return "EcrToken[" + registry.host() + ", " + username + ", ****, expires " + expiresAt + "]";
    }
}
