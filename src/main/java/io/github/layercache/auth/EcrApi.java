package io.github.layercache.auth;

import io.github.layercache.core.LayercacheException;
import java.util.Optional;

/** The Amazon ECR calls the plugin makes; the seam that lets the rest be tested without AWS. */
public interface EcrApi {

    /** Who asks: tokens fetched with other credentials (another profile or region) are not shared. */
    default String caller() {
        return "";
    }

    /** A fresh authorization token for the registry ({@code ecr:GetAuthorizationToken}). */
    EcrToken authorizationToken(EcrRegistry registry) throws LayercacheException;

    /**
     * Creates the repository when it does not exist, with its settings and lifecycle policy.
     *
     * @return true when it was created, false when it existed
     */
    boolean ensureRepository(EcrRegistry registry, String repository, RepositorySettings settings)
            throws LayercacheException;

    /**
     * Whether the repository's tags can move ({@code ecr:DescribeRepositories}); empty when it does
     * not exist.
     */
    Optional<TagMutability> tagMutability(EcrRegistry registry, String repository) throws LayercacheException;

    /**
     * Puts a lifecycle policy on an existing repository ({@code ecr:GetLifecyclePolicy},
     * {@code ecr:PutLifecyclePolicy}), unless it has that policy already.
     *
     * @return the policy it had, or empty when it had none
     */
    Optional<String> replaceLifecyclePolicy(EcrRegistry registry, String repository, String policy)
            throws LayercacheException;
}
