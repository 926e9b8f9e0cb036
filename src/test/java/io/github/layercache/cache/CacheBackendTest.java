package io.github.layercache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheBackendTest {

    @Test
    void readsAPlainReferenceAsARegistryCache() throws Exception {
        CacheBackend backend = CacheBackend.parse("registry.example.com/app:buildcache", "cacheFrom");

        assertThat(backend.type()).isEqualTo("registry");
        assertThat(backend.isRegistry()).isTrue();
        assertThat(backend.params()).containsExactly(Map.entry("ref", "registry.example.com/app:buildcache"));
        assertThat(backend.ref()).contains("registry.example.com/app:buildcache");
        assertThat(backend.toArgument()).isEqualTo("type=registry,ref=registry.example.com/app:buildcache");
    }

    @Test
    void readsARawGhaSpec() throws Exception {
        CacheBackend backend = CacheBackend.parse("type=gha,scope=orders", "cacheFrom");

        assertThat(backend.type()).isEqualTo("gha");
        assertThat(backend.isRegistry()).isFalse();
        assertThat(backend.params()).containsExactly(Map.entry("scope", "orders"));
        assertThat(backend.ref()).isEmpty();
        assertThat(backend.toArgument()).isEqualTo("type=gha,scope=orders");
    }

    @Test
    void readsARawS3SpecKeepingParameterOrder() throws Exception {
        CacheBackend backend = CacheBackend.parse("type=s3,region=eu-west-1,bucket=b,name=x", "cacheTo");

        assertThat(backend.type()).isEqualTo("s3");
        assertThat(backend.params())
                .containsExactly(Map.entry("region", "eu-west-1"), Map.entry("bucket", "b"), Map.entry("name", "x"));
        assertThat(backend.toArgument()).isEqualTo("type=s3,region=eu-west-1,bucket=b,name=x");
    }

    @Test
    void typeNeedNotComeFirst() throws Exception {
        CacheBackend backend = CacheBackend.parse("ref=reg.io/app:cache,type=registry,mode=max", "cacheTo");

        assertThat(backend.type()).isEqualTo("registry");
        assertThat(backend.toArgument()).isEqualTo("type=registry,ref=reg.io/app:cache,mode=max");
    }

    @Test
    void trimsKeysAndValues() throws Exception {
        CacheBackend backend = CacheBackend.parse("  type = local , src = /tmp/cache  ", "cacheFrom");

        assertThat(backend.type()).isEqualTo("local");
        assertThat(backend.params()).containsExactly(Map.entry("src", "/tmp/cache"));
    }

    @Test
    void keepsCommasInsideQuotedValues() throws Exception {
        CacheBackend backend = CacheBackend.parse("type=s3,region=eu-west-1,bucket=b,name=\"one,two\"", "cacheTo");

        assertThat(backend.params())
                .containsEntry("name", "one,two")
                .containsEntry("bucket", "b")
                .hasSize(3);
    }

    @Test
    void toArgumentQuotesAFieldWhoseValueHasAComma() throws Exception {
        CacheBackend backend = CacheBackend.parse("type=s3,bucket=b,name=\"one,two\"", "cacheTo");

        assertThat(backend.toArgument()).isEqualTo("type=s3,bucket=b,\"name=one,two\"");
        assertThat(CacheBackend.parse(backend.toArgument(), "cacheTo")).isEqualTo(backend);
    }

    @Test
    void rejectsAnUnclosedQuote() {
        InvalidSpecException e = rejected("type=s3,name=\"open", "cacheTo");

        assertThat(e).hasMessageContaining("unclosed quote");
    }

    @Test
    void rejectsAnUnknownTypeListingTheKnownOnes() {
        InvalidSpecException e = rejected("type=redis,host=x", "cacheFrom");

        assertThat(e)
                .hasMessageContaining("Unknown cache type 'redis'")
                .hasMessageContaining("azblob, gha, inline, local, registry, s3");
    }

    @Test
    void rejectsParametersWithoutAType() {
        InvalidSpecException e = rejected("ref=reg.io/app:cache,mode=max", "cacheTo");

        assertThat(e).hasMessageContaining("no type");
    }

    @Test
    void rejectsARegistryCacheWithoutRef() {
        InvalidSpecException e = rejected("type=registry,mode=max", "cacheTo");

        assertThat(e).hasMessageContaining("needs ref=");
    }

    @Test
    void rejectsAFieldThatIsNotKeyValue() {
        InvalidSpecException e = rejected("type=gha,scope", "cacheFrom");

        assertThat(e).hasMessageContaining("'scope' is not of the form key=value");
    }

    @Test
    void rejectsAnEmptyEntry() {
        assertThat(rejected("  ", "cacheFrom")).hasMessageContaining("empty");
        assertThat(rejected(null, "cacheFrom")).hasMessageContaining("empty");
    }

    @Test
    void withAddsAParameterAtTheEndAndReplacesInPlace() {
        CacheBackend backend =
                CacheBackend.registry("r/app:c").with("mode", "max").with("ref", "r/app:d");

        assertThat(backend.toArgument()).isEqualTo("type=registry,ref=r/app:d,mode=max");
    }

    @Test
    void describeShowsTheRefForRegistryCachesAndTheSpecOtherwise() throws Exception {
        assertThat(CacheBackend.registry("r.io/app:c").with("mode", "max").describe())
                .isEqualTo("r.io/app:c");
        assertThat(CacheBackend.parse("type=gha,scope=orders", "cacheTo").describe())
                .isEqualTo("type=gha,scope=orders");
    }

    private static InvalidSpecException rejected(String value, String parameter) {
        InvalidSpecException e =
                catchThrowableOfType(InvalidSpecException.class, () -> CacheBackend.parse(value, parameter));
        assertThat(e).as("parse(%s) must fail", value).isNotNull();
        assertThat(e.parameter()).contains(parameter);
        return e;
    }

    @Test
    void credentialParametersAreNamedSoThatTheBuildCanWarn() throws Exception {
        CacheBackend s3 = CacheBackend.parse(
                "type=s3,region=eu-west-1,bucket=b,access_key_id=AKID,secret_access_key=shh,session_token=t",
                "cacheTo");

        assertThat(s3.secretParameters()).containsExactly("secret_access_key", "session_token");
        assertThat(CacheBackend.parse("type=gha,scope=orders", "cacheTo").secretParameters())
                .isEmpty();
    }

    @Test
    void aParameterTheBackendDoesNotTakeIsRejectedWithTheOnesItTakes() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> CacheBackend.parse("type=gha,scope=x,bucket=b", "cacheFrom"));

        assertThat(e.parameter()).contains("cacheFrom");
        assertThat(e.getMessage())
                .contains("Unknown parameter 'bucket' for the gha cache in 'type=gha,scope=x,bucket=b'")
                .contains(
                        "it takes ghtoken, ignore-error, mode, repository, scope, timeout, token, url, url_v2, version.");
    }

    @Test
    void theInlineCacheTakesNoParameters() {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> CacheBackend.parse("type=inline,mode=max", "cacheTo"));

        assertThat(e.getMessage())
                .contains("Unknown parameter 'mode' for the inline cache")
                .endsWith(": it takes none.");
    }

    @Test
    void credentialValuesAreMaskedWhereverASpecIsShown() throws Exception {
        CacheBackend s3 = CacheBackend.parse(
                "type=s3,bucket=b,secret_access_key=top-secret,session_token=tok-123,region=eu-west-1", "cacheTo");

        assertThat(s3.describe())
                .isEqualTo("type=s3,bucket=b,secret_access_key=****,session_token=****,region=eu-west-1")
                .doesNotContain("top-secret");
        assertThat(s3.secretValues()).containsExactly("top-secret", "tok-123");
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class,
                () -> CacheBackend.parse("type=s3,secret_access_key=top-secret,colour=blue", "cacheTo"));
        assertThat(e.getMessage()).contains("secret_access_key=****").doesNotContain("top-secret");
    }
}
