package io.github.layercache.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.source.CiEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachePolicyTest {

    private static final String REF = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:buildcache";

    @Test
    void defaultImportsAndExportsTheImagesOwnRegistryCacheInEcrForm() throws Exception {
        CacheSpec spec = policy().resolve();

        assertThat(arguments(spec.imports())).containsExactly("type=registry,ref=" + REF);
        assertThat(arguments(spec.exports()))
                .containsExactly("type=registry,ref=" + REF
                        + ",mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true");
        assertThat(spec.strict()).isFalse();
    }

    @Test
    void strictDropsIgnoreError() throws Exception {
        CacheSpec spec = policy().strict(true).build().resolve();

        assertThat(arguments(spec.exports()))
                .containsExactly("type=registry,ref=" + REF + ",mode=max,image-manifest=true,oci-mediatypes=true");
        assertThat(spec.strict()).isTrue();
    }

    @Test
    void modeMinIsPassedOn() throws Exception {
        CacheSpec spec = policy().mode("min").build().resolve();

        assertThat(arguments(spec.exports()))
                .containsExactly("type=registry,ref=" + REF
                        + ",mode=min,image-manifest=true,oci-mediatypes=true,ignore-error=true");
    }

    @Test
    void rejectsAnUnknownMode() {
        InvalidSpecException e = rejected(policy().mode("all"));

        assertThat(e.parameter()).contains("cacheMode");
        assertThat(e).hasMessageContaining("'all'");
    }

    @Test
    void exportOnlyInCiExportsNothingOutsideCi() throws Exception {
        CacheSpec spec = policy().exportOnlyInCi(true).inCi(false).build().resolve();

        assertThat(arguments(spec.imports())).containsExactly("type=registry,ref=" + REF);
        assertThat(spec.exports()).isEmpty();
        assertThat(spec.exportOffReason())
                .hasValueSatisfying(reason ->
                        assertThat(reason).contains("cacheExportOnlyInCi").contains("no CI detected"));
    }

    @Test
    void exportOnlyInCiStillValidatesCustomExportsOutsideCi() {
        InvalidSpecException e =
                rejected(policy().exportOnlyInCi(true).inCi(false).customExports(List.of("type=nonsense")));

        assertThat(e.parameter()).contains("cacheTo");
    }

    @Test
    void exportOnlyInCiExportsInCi() throws Exception {
        CacheSpec spec = policy().exportOnlyInCi(true).inCi(true).build().resolve();

        assertThat(spec.exports()).hasSize(1);
        assertThat(spec.exports().get(0).ref()).contains(REF);
        assertThat(spec.exportOffReason()).isEmpty();
    }

    @Test
    void disabledCacheResolvesToNone() throws Exception {
        CacheSpec spec = policy().enabled(false).build().resolve();

        assertThat(spec.isEmpty()).isTrue();
        assertThat(spec.imports()).isEmpty();
        assertThat(spec.exports()).isEmpty();
    }

    @Test
    void disabledButStrictIsAContradiction() {
        InvalidSpecException e = rejected(policy().enabled(false).strict(true));

        assertThat(e.parameter()).contains("cacheStrict");
    }

    @Test
    void extraImportsComeAfterTheOwnRefWithoutDuplicates() throws Exception {
        CacheSpec spec = policy().extraImports(List.of(
                        "registry.example.com/base:buildcache",
                        REF,
                        "type=registry,ref=" + REF,
                        "type=gha,scope=orders",
                        "registry.example.com/base:buildcache"))
                .build()
                .resolve();

        assertThat(arguments(spec.imports()))
                .containsExactly(
                        "type=registry,ref=" + REF,
                        "type=registry,ref=registry.example.com/base:buildcache",
                        "type=gha,scope=orders");
    }

    @Test
    void invalidExtraImportNamesCacheFrom() {
        InvalidSpecException e = rejected(policy().extraImports(List.of("type=nope")));

        assertThat(e.parameter()).contains("cacheFrom");
    }

    @Test
    void customExportsReplaceTheDefaultAndTolerateErrors() throws Exception {
        CacheSpec spec = policy().customExports(List.of("type=gha,scope=orders,mode=max", "type=inline"))
                .build()
                .resolve();

        assertThat(arguments(spec.exports()))
                .containsExactly("type=gha,scope=orders,mode=max,ignore-error=true", "type=inline");
        assertThat(arguments(spec.imports())).containsExactly("type=registry,ref=" + REF);
    }

    @Test
    void customExportKeepsAnExplicitIgnoreError() throws Exception {
        CacheSpec spec = policy().customExports(List.of("type=s3,bucket=b,ignore-error=false"))
                .build()
                .resolve();

        assertThat(arguments(spec.exports())).containsExactly("type=s3,bucket=b,ignore-error=false");
    }

    @Test
    void strictCustomExportsGetNoIgnoreError() throws Exception {
        CacheSpec spec = policy().strict(true)
                .customExports(List.of("type=gha,scope=orders"))
                .build()
                .resolve();

        assertThat(arguments(spec.exports())).containsExactly("type=gha,scope=orders");
    }

    @Test
    void invalidCustomExportNamesCacheTo() {
        InvalidSpecException e = rejected(policy().customExports(List.of("mode=max")));

        assertThat(e.parameter()).contains("cacheTo");
    }

    @Test
    void rejectsACacheRefWithoutTag() {
        InvalidSpecException e = rejected(policy().ref("registry.example.com:5000/app"));

        assertThat(e.parameter()).contains("cacheRef");
        assertThat(e).hasMessageContaining("repository:tag");
    }

    @Test
    void rejectsACacheRefWithAnInvalidRepository() {
        InvalidSpecException e = rejected(policy().ref("Registry.example.com/App:cache"));

        assertThat(e.parameter()).contains("cacheRef");
    }

    @Test
    void rejectsACacheRefWithAnInvalidTag() {
        InvalidSpecException e = rejected(policy().ref("registry.example.com/app:-cache"));

        assertThat(e.parameter()).contains("cacheRef");
    }

    @Test
    void rejectsAMissingCacheRef() {
        InvalidSpecException e = rejected(policy().ref(null));

        assertThat(e.parameter()).contains("cacheRef");
    }

    @Test
    void acceptsACacheRefOnARegistryWithAPort() throws Exception {
        CacheSpec spec = policy().ref("127.0.0.1:5000/app:buildcache").build().resolve();

        assertThat(spec.imports().get(0).ref()).contains("127.0.0.1:5000/app:buildcache");
    }

    private static List<String> arguments(List<CacheBackend> backends) {
        return backends.stream().map(CacheBackend::toArgument).toList();
    }

    private static InvalidSpecException rejected(PolicyBuilder builder) {
        InvalidSpecException e = catchThrowableOfType(
                InvalidSpecException.class, () -> builder.build().resolve());
        assertThat(e).isNotNull();
        return e;
    }

    private static PolicyBuilder policy() {
        return new PolicyBuilder();
    }

    private static final class PolicyBuilder {
        private boolean enabled = true;
        private String ref = REF;
        private String mode = "max";
        private List<String> extraImports = List.of();
        private List<String> customExports = List.of();
        private boolean exportOnlyInCi;
        private boolean inCi;
        private boolean strict;

        PolicyBuilder enabled(boolean value) {
            enabled = value;
            return this;
        }

        PolicyBuilder ref(String value) {
            ref = value;
            return this;
        }

        PolicyBuilder mode(String value) {
            mode = value;
            return this;
        }

        PolicyBuilder extraImports(List<String> value) {
            extraImports = value;
            return this;
        }

        PolicyBuilder customExports(List<String> value) {
            customExports = value;
            return this;
        }

        PolicyBuilder exportOnlyInCi(boolean value) {
            exportOnlyInCi = value;
            return this;
        }

        PolicyBuilder inCi(boolean value) {
            inCi = value;
            return this;
        }

        PolicyBuilder strict(boolean value) {
            strict = value;
            return this;
        }

        CachePolicy build() {
            return new CachePolicy(
                    enabled,
                    ref,
                    mode,
                    extraImports,
                    customExports,
                    exportOnlyInCi,
                    new CiEnvironment(inCi, inCi ? "AWS CodeBuild (CODEBUILD_BUILD_ID is set)" : "no CI detected"),
                    strict);
        }

        CacheSpec resolve() throws InvalidSpecException {
            return build().resolve();
        }
    }
}
