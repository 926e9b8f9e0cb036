package io.github.layercache.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password for one registry host. Its string form never shows the password. */
public record RegistryCredential(String host, String username, String password) {

    /** The {@code auth} value of a docker config entry. */
    public String dockerAuth() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredential[" + host + ", " + username + ", ****]";
    }
}
