package io.github.layercache.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EcrRegistryTest {

    @ParameterizedTest
    @CsvSource({
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com, 123456789012, eu-west-1",
        "210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn, 210987654321, cn-north-1",
        "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com, 123456789012, us-gov-west-1",
        "123456789012.dkr-ecr.eu-west-1.on.aws, 123456789012, eu-west-1",
        "000000000001.dkr.ecr.ap-southeast-2.amazonaws.com, 000000000001, ap-southeast-2",
    })
    void recognisesEcrHostsByTheirForm(String host, String account, String region) {
        assertThat(EcrRegistry.fromHost(host)).contains(new EcrRegistry(host, account, region));
    }

    @Test
    void anUppercaseHostIsRecognisedAndKeepsItsSpellingWhileAccountAndRegionAreLowercase() {
        String host = "123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM";

        assertThat(EcrRegistry.fromHost(host)).hasValueSatisfying(registry -> {
            assertThat(registry.host()).isEqualTo(host);
            assertThat(registry.account()).isEqualTo("123456789012");
            assertThat(registry.region()).isEqualTo("eu-west-1");
            assertThat(registry.hasValidRegion()).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "docker.io",
                "ghcr.io",
                "registry-1.docker.io",
                "localhost:5000",
                "127.0.0.1:5501",
                "123.dkr.ecr.eu-west-1.amazonaws.com",
                "1234567890123.dkr.ecr.eu-west-1.amazonaws.com",
                "12345678901a.dkr.ecr.eu-west-1.amazonaws.com",
                "public.ecr.aws",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com:5000",
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example",
                "x123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                "123456789012.dkr.ecr..amazonaws.com",
                "",
            })
    void otherHostsAreNotEcr(String host) {
        assertThat(EcrRegistry.fromHost(host)).isEmpty();
    }

    @Test
    void theDefaultHttpsPortIsTheSameRegistry() {
        assertThat(EcrRegistry.fromHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com:443"))
                .contains(new EcrRegistry(
                        "123456789012.dkr.ecr.eu-west-1.amazonaws.com:443", "123456789012", "eu-west-1"));
        assertThat(EcrRegistry.fromHost("123456789012.dkr-ecr.eu-west-1.on.aws:443"))
                .map(EcrRegistry::region)
                .contains("eu-west-1");
    }

    @Test
    void aDeclaredRegistryIsCheckedAndStripped() throws InvalidSpecException {
        assertThat(EcrRegistry.declared(" registry.internal:5000 ", " 123456789012 ", " eu-central-1 "))
                .isEqualTo(new EcrRegistry("registry.internal:5000", "123456789012", "eu-central-1"));
        assertThat(EcrRegistry.declared("vpce.example", "210987654321", "us-gov-west-1")
                        .region())
                .isEqualTo("us-gov-west-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "1234567890123", "abcdefghijkl", "", "12345678901x"})
    void aDeclaredRegistryNeedsATwelveDigitAccount(String account) {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared("registry.internal", account, "eu-west-1"));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("registry.internal").contains("'" + account + "'");
    }

    @Test
    void aMissingAccountIsNamedToo() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared("registry.internal", null, "eu-west-1"));

        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("registry.internal").contains("12-digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"europe", "eu-west", "EU-WEST-1", "eu_west_1", "e-west-1", "", "xx"})
    void aDeclaredRegistryNeedsARegionName(String region) {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared("registry.internal", "123456789012", region));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("registry.internal").contains("'" + region + "'");
    }

    @Test
    void aMissingRegionIsRejected() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared("registry.internal", "123456789012", null));

        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("registry.internal").contains("region");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aDeclaredRegistryNeedsAHost(String host) {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared(host, "123456789012", "eu-west-1"));

        assertThat(e).isNotNull();
        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("<host>");
    }

    @Test
    void aNullHostIsRejectedLikeABlankOne() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> EcrRegistry.declared(null, "123456789012", "eu-west-1"));

        assertThat(e.parameter()).contains("ecrRegistries");
        assertThat(e.getMessage()).contains("<host>");
    }

    @Test
    void hasValidRegionTellsAHostWithAnOddRegionApart() {
        assertThat(new EcrRegistry("h", "123456789012", "eu-west-1").hasValidRegion())
                .isTrue();
        assertThat(EcrRegistry.fromHost("123456789012.dkr.ecr.nowhere.amazonaws.com"))
                .hasValueSatisfying(r -> assertThat(r.hasValidRegion()).isFalse());
    }
}
