package io.github.layercache.buildx;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.process.Redactor;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link BuildSpec} into the exact {@code docker buildx build} argument list. */
public final class BuildxCommand {

    private BuildxCommand() {}

    /**
     * The arguments as the log and the result file show them: credentials of cache specs and the
     * values of build arguments that look like secrets are masked.
     */
    public static List<String> shownArguments(BuildSpec spec) {
        List<String> masked = new ArrayList<>();
        for (String name : spec.secretLikeBuildArgs()) {
            masked.add(name + "=" + spec.buildArgs().get(name));
        }
        Redactor redactor = new Redactor(spec.secretValues());
        List<String> shown = new ArrayList<>();
        for (String argument : arguments(spec)) {
            shown.add(
                    masked.contains(argument)
                            ? argument.substring(0, argument.indexOf('=') + 1) + Redactor.MASK
                            : redactor.redact(argument));
        }
        return shown;
    }

    /** The arguments after the docker executable. */
    public static List<String> arguments(BuildSpec spec) {
        List<String> argv = new ArrayList<>(List.of("buildx", "build"));
        if (spec.builderName() != null) {
            argv.addAll(List.of("--builder", spec.builderName()));
        }
        argv.add("--progress=plain");
        argv.addAll(List.of("--file", spec.dockerfile().toString()));
        spec.buildContexts().forEach((name, dir) -> argv.addAll(List.of("--build-context", name + "=" + dir)));
        // An image pushed by digest gets no tag from the build: push gives it its tags, on deploy.
        if (spec.output() != BuildSpec.Output.REGISTRY) {
            for (String name : spec.taggedNames()) {
                argv.addAll(List.of("--tag", name));
            }
        }
        spec.buildArgs().forEach((k, v) -> argv.addAll(List.of("--build-arg", k + "=" + v)));
        if (spec.sourceDateEpoch() != null && !spec.buildArgs().containsKey("SOURCE_DATE_EPOCH")) {
            argv.addAll(List.of("--build-arg", "SOURCE_DATE_EPOCH=" + spec.sourceDateEpoch()));
        }
        if (spec.target() != null) {
            argv.addAll(List.of("--target", spec.target()));
        }
        if (!spec.platforms().isEmpty()) {
            argv.addAll(List.of("--platform", String.join(",", spec.platforms())));
        }
        spec.labels().forEach((k, v) -> argv.addAll(List.of("--label", k + "=" + v)));
        if (spec.pull()) {
            argv.add("--pull");
        }
        if (spec.noCache()) {
            argv.add("--no-cache");
        }
        if (spec.network() != null) {
            argv.addAll(List.of("--network", spec.network()));
        }
        for (BuildSecret secret : spec.secrets()) {
            argv.addAll(List.of("--secret", secret.toArgument()));
        }
        for (String ssh : spec.ssh()) {
            argv.addAll(List.of("--ssh", ssh));
        }
        for (CacheBackend from : spec.cache().imports()) {
            argv.addAll(List.of("--cache-from", from.toArgument()));
        }
        for (CacheBackend to : spec.cache().exports()) {
            argv.addAll(List.of("--cache-to", to.toArgument()));
        }
        argv.addAll(List.of("--metadata-file", spec.metadataFile().toString()));
        argv.add("--provenance=" + spec.provenance());
        argv.add("--sbom=" + spec.sbom());
        argv.addAll(output(spec));
        argv.addAll(spec.extraArgs());
        argv.add(spec.contextDirectory().toString());
        return argv;
    }

    /**
     * Where the image goes. (No {@code rewrite-timestamp}: rewriting the layers' file times needs
     * their content, so BuildKit would download every cached layer again, which the registry route is
     * there to avoid; the source date alone already makes an unchanged rebuild give the same digest.)
     */
    private static List<String> output(BuildSpec spec) {
        return switch (spec.output()) {
            case LOAD -> List.of("--load");
            case REGISTRY ->
                List.of(
                        "--output",
                        "type=image,name=" + spec.image().name()
                                + ",push-by-digest=true,name-canonical=true,oci-mediatypes=true,push=true");
            case NONE -> List.of();
        };
    }
}
