package io.github.layercache.docker;

import io.github.layercache.cache.CacheBackend;
import io.github.layercache.core.Text;
import io.github.layercache.docker.DockerCli.Command;
import io.github.layercache.process.Redactor;
import io.github.layercache.spec.BuildSecret;
import io.github.layercache.spec.BuildSpec;
import io.github.layercache.spec.BuilderSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every docker and buildx command line the plugin runs, each with its timeout; {@link DockerCli} runs them. */
public final class DockerCommands {

    /** How long a command that only asks or tidies (an inspect, a version, a removal) may take. */
    private static final Duration QUICK = Duration.ofMinutes(1);

    /** How long creating or booting a builder may take: it may pull the BuildKit image first. */
    private static final Duration BOOT = Duration.ofMinutes(10);

    private DockerCommands() {}

    /**
     * {@code docker buildx build} for a spec, run in its context directory; logs and the result file see it with the
     * credentials of cache specs and the values of build arguments that look like secrets masked.
     */
    public static Command build(BuildSpec spec) {
        return Command.of(spec.timeout(), buildArguments(spec))
                .shownAs(shownBuildArguments(spec))
                .in(spec.contextDirectory());
    }

    /** {@code docker buildx inspect [name]}: the named builder, or the current one when {@code name} is null. */
    public static Command inspectBuilder(String name) {
        return name == null ? Command.of(QUICK, "buildx", "inspect") : Command.of(QUICK, "buildx", "inspect", name);
    }

    /** {@code docker buildx inspect --bootstrap name}: starts the builder. */
    public static Command bootBuilder(String name) {
        return Command.of(BOOT, "buildx", "inspect", "--bootstrap", name);
    }

    /** {@code docker buildx version}. */
    public static Command buildxVersion() {
        return Command.of(QUICK, "buildx", "version");
    }

    /** {@code docker buildx create} for a builder spec, with the flags this buildx version knows. */
    public static Command createBuilder(BuilderSpec spec, BuildxVersion version) {
        List<String> argv = new ArrayList<>(List.of("buildx", "create", "--name", spec.name()));
        argv.addAll(List.of("--driver", spec.driver()));
        if (spec.buildkitImage() != null) {
            argv.addAll(List.of("--driver-opt", "image=" + spec.buildkitImage()));
        }
        spec.driverOptions().forEach((k, v) -> argv.addAll(List.of("--driver-opt", k + "=" + v)));
        if (spec.driver().equals("docker-container") && !spec.driverOptions().containsKey("default-load")) {
            if (version.atLeast(BuildxVersion.DEFAULT_LOAD)) {
                argv.addAll(List.of("--driver-opt", "default-load=true"));
            }
        }
        if (spec.buildkitdConfig() != null) {
            String flag = version.atLeast(BuildxVersion.BUILDKITD_CONFIG_FLAG) ? "--buildkitd-config" : "--config";
            argv.addAll(List.of(flag, spec.buildkitdConfig().toString()));
        }
        if (!spec.platforms().isEmpty()) {
            argv.addAll(List.of("--platform", String.join(",", spec.platforms())));
        }
        if (spec.bootstrap()) {
            argv.add("--bootstrap");
        }
        if (Text.isSet(spec.endpoint())) {
            argv.add(spec.endpoint());
        }
        return Command.of(BOOT, argv);
    }

    /** {@code docker buildx rm name}. */
    public static Command removeBuilder(String name) {
        return Command.of(QUICK, "buildx", "rm", name);
    }

    /** {@code docker info --format {{json .DriverStatus}}}: which image store the Docker Engine uses. */
    public static Command driverStatus() {
        return Command.of(QUICK, "info", "--format", "{{json .DriverStatus}}");
    }

    /** {@code docker buildx imagetools inspect ref --format {{json .Manifest}}}: the manifest the registry serves. */
    public static Command registryManifest(String ref) {
        return Command.of(QUICK, "buildx", "imagetools", "inspect", ref, "--format", "{{json .Manifest}}");
    }

    /** {@code docker buildx imagetools inspect --raw ref}: the registry's manifest, byte for byte. */
    public static Command rawRegistryManifest(String ref) {
        return Command.of(QUICK, "buildx", "imagetools", "inspect", "--raw", ref);
    }

    /** {@code docker image inspect --format {{.Id}} ref}: the id of an image in the local image store. */
    public static Command localImageId(String ref) {
        return Command.of(QUICK, "image", "inspect", "--format", "{{.Id}}", ref);
    }

    /** {@code docker buildx imagetools create --tag ref source}: tags an image the registry already has. */
    public static Command tagInRegistry(String ref, String source, Duration timeout) {
        return Command.of(timeout, "buildx", "imagetools", "create", "--tag", ref, source);
    }

    /** {@code docker push ref}: uploads an image from the local image store. */
    public static Command push(String ref, Duration timeout) {
        return Command.of(timeout, "push", ref);
    }

    private static List<String> shownBuildArguments(BuildSpec spec) {
        List<String> masked = new ArrayList<>();
        for (String name : spec.secretLikeBuildArgs()) {
            masked.add(name + "=" + spec.buildArgs().get(name));
        }
        Redactor redactor = new Redactor(spec.secretValues());
        List<String> shown = new ArrayList<>();
        for (String argument : buildArguments(spec)) {
            shown.add(
                    masked.contains(argument)
                            ? argument.substring(0, argument.indexOf('=') + 1) + Redactor.MASK
                            : redactor.redact(argument));
        }
        return shown;
    }

    private static List<String> buildArguments(BuildSpec spec) {
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
        argv.addAll(imageOutput(spec));
        argv.addAll(spec.extraArgs());
        argv.add(spec.contextDirectory().toString());
        return argv;
    }

    /**
     * Where the image goes. (No {@code rewrite-timestamp}: rewriting the layers' file times needs
     * their content, so BuildKit would download every cached layer again, which the registry route is
     * there to avoid; the source date alone already makes an unchanged rebuild give the same digest.)
     */
    private static List<String> imageOutput(BuildSpec spec) {
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
