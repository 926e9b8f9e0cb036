package io.github.layercache.maven;

/**
 * An {@code <ecrRegistry>} element: a host that is Amazon ECR although its name does not say so
 * (a VPC endpoint, a proxy), with the account and region its token comes from.
 */
public class EcrRegistryConfig {

    /** The registry host, e.g. {@code registry.internal.example.com}. */
    private String host;

    /** The 12-digit AWS account id. */
    private String account;

    /** The AWS region, e.g. {@code eu-west-1}. */
    private String region;

    String host() {
        return host;
    }

    String account() {
        return account;
    }

    String region() {
        return region;
    }
}
