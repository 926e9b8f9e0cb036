package io.github.layercache.auth;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.Text;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Amazon ECR registry: its host, and the account and region its token comes from. Recognised
 * from the host ({@code <account>.dkr.ecr.<region>.amazonaws.com}, {@code .amazonaws.com.cn},
 * {@code dkr.ecr-fips}, dual-stack {@code <account>.dkr-ecr.<region>.on.aws}) or declared
 * explicitly for any other host (VPC endpoints, proxies, tests).
 */
public record EcrRegistry(String host, String account, String region) {

    private static final Pattern ECR_HOST = Pattern.compile(
            "^(\\d{12})\\.(?:dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?|dkr-ecr\\.([a-z0-9-]+)\\.on\\.aws)$");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d+");

    /** The ECR registry a host names, if it is one by its form. */
    public static Optional<EcrRegistry> fromHost(String host) {
        Matcher m = ECR_HOST.matcher(host.toLowerCase(Locale.ROOT).replaceFirst(":443$", ""));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EcrRegistry(host, m.group(1), m.group(2) != null ? m.group(2) : m.group(3)));
    }

    /** A host declared as ECR by the user, with its account and region checked. */
    public static EcrRegistry declared(String host, String account, String region) throws InvalidSpecException {
        if (!Text.isSet(host)) {
            throw new InvalidSpecException("ecrRegistries", "An <ecrRegistry> needs a <host>.");
        }
        if (account == null || !ACCOUNT.matcher(account.strip()).matches()) {
            throw new InvalidSpecException(
                    "ecrRegistries",
                    "ECR registry " + host + ": the account must be a 12-digit AWS account id, not '" + account + "'.");
        }
        if (region == null || !REGION.matcher(region.strip()).matches()) {
            throw new InvalidSpecException(
                    "ecrRegistries",
                    "ECR registry " + host + ": '" + region + "' is not an AWS region name such as eu-west-1.");
        }
        return new EcrRegistry(host.strip(), account.strip(), region.strip());
    }

    /** Whether the region has the form of an AWS region name. */
    public boolean hasValidRegion() {
        return REGION.matcher(region).matches();
    }
}
