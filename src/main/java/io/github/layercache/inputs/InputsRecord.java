package io.github.layercache.inputs;

import io.github.layercache.core.FileHashes;
import io.github.layercache.fingerprint.DockerIgnore;
import io.github.layercache.spec.BuildSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a build was made from, stored beside the cache it exports so that a later build, on another
 * machine, can say why a step was not taken from that cache. Hashes only: never a file's content,
 * never a build argument's value (a keyed hash of it), never a secret (not even its id).
 *
 * @param format {@value #FORMAT}; a record of another format is not compared
 * @param platforms the platforms built, or the builder's own
 * @param salt random per record, part of the key of the build arguments' hashes
 * @param steps the Dockerfile's steps, per stage label, as the build saw them
 * @param files every context file BuildKit received, by path, when there are at most {@value #MAX_FILES};
 *     a named context's files as {@code <name>:<path>}
 * @param directories past {@value #MAX_FILES} files, one hash per top-level directory instead of {@code files}
 * @param args each build argument's keyed hash
 * @param baseImages each stage's base image as BuildKit resolved it ({@code ref@digest}), by stage label
 * @param dockerignore whether the context had a {@code .dockerignore}
 */
public record InputsRecord(
        String format,
        List<String> platforms,
        String salt,
        List<RecordedStep> steps,
        Map<String, FileState> files,
        Map<String, String> directories,
        Map<String, String> args,
        Map<String, String> baseImages,
        boolean dockerignore) {

    public static final String FORMAT = "layercache-inputs 1";

    /** Past this many files the record keeps a hash per top-level directory, so that it stays small. */
    public static final int MAX_FILES = 5000;

    /** An environment variable whose value, when set (say from a CI secret), keys the build arguments' hashes. */
    public static final String KEY_VARIABLE = "LAYERCACHE_INPUTS_KEY";

    public InputsRecord {
        platforms = List.copyOf(platforms);
        steps = List.copyOf(steps);
        files = Map.copyOf(files);
        directories = Map.copyOf(directories);
        args = Map.copyOf(args);
        baseImages = Map.copyOf(baseImages);
    }

    /**
     * How a build records its inputs.
     *
     * @param key the secret of the build arguments' hashes ({@value #KEY_VARIABLE}), empty when there is none
     * @param pluginOutput the plugin's output directory: its files are outputs, never inputs
     */
    public record Settings(String key, Path pluginOutput) {
        @Override
        public String toString() {
            return "Settings[key=" + (key.isEmpty() ? "" : "***") + ", pluginOutput=" + pluginOutput + "]";
        }
    }

    /** A step as recorded: where it is and what it says. */
    public record RecordedStep(String stage, int index, int line, String text) {}

    /** A file as recorded: its content's hash, its permission bits ({@code 0644}) and its size. */
    public record FileState(String sha256, String mode, long size) {}

    /** The same record with each stage's base image as BuildKit resolved it, known once the build ran. */
    public InputsRecord withBaseImages(Map<String, String> value) {
        return new InputsRecord(format, platforms, salt, steps, files, directories, args, value, dockerignore);
    }

    public boolean truncated() {
        return !directories.isEmpty();
    }

    /**
     * Describes a build.
     *
     * @param baseImages what BuildKit resolved each stage's {@code FROM} to, by stage label
     * @param pluginOutput the plugin's output directory: its files are outputs, never inputs
     * @param key the secret that keys the build arguments' hashes, or empty
     */
    public static InputsRecord of(
            BuildSpec spec,
            DockerfileSteps dockerfile,
            List<String> platforms,
            Map<String, String> baseImages,
            Path pluginOutput,
            String key)
            throws IOException {
        byte[] saltBytes = new byte[16];
        new SecureRandom().nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        List<RecordedStep> steps = stepsOf(dockerfile);
        Map<String, FileState> files = contextFiles(spec, pluginOutput);
        Map<String, String> directories = Map.of();
        if (files.size() > MAX_FILES) {
            directories = directoryHashes(files);
            files = Map.of();
        }
        Map<String, String> args = new TreeMap<>();
        spec.buildArgs().forEach((name, value) -> args.put(name, argumentHash(key, salt, name, value)));
        return new InputsRecord(
                FORMAT, platforms, salt, steps, files, directories, args, baseImages, DockerIgnore.present(spec));
    }

    /** Every step of the Dockerfile, as a record keeps it. */
    static List<RecordedStep> stepsOf(DockerfileSteps dockerfile) {
        List<RecordedStep> steps = new ArrayList<>();
        for (DockerfileSteps.Stage stage : dockerfile.stages()) {
            for (DockerfileSteps.Step step : stage.steps()) {
                steps.add(new RecordedStep(stage.label(), step.index(), step.line(), step.text()));
            }
        }
        return steps;
    }

    /** Whether {@code value} is what this record's build had for argument {@code name}. */
    public boolean sameArgument(String key, String name, String value) {
        String recorded = args.get(name);
        return recorded == null
                ? value == null
                : value != null && recorded.equals(argumentHash(key, salt, name, value));
    }

    /** HMAC-SHA256 of the name and value, keyed with the secret (when there is one) and the record's salt. */
    static String argumentHash(String key, String salt, String name, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((key + ":" + salt).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] hash = mac.doFinal((name + "=" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static Map<String, FileState> contextFiles(BuildSpec spec, Path pluginOutput) throws IOException {
        Map<String, FileState> files = new TreeMap<>();
        Path output =
                pluginOutput == null ? null : pluginOutput.toAbsolutePath().normalize();
        for (String file : DockerIgnore.forBuild(spec).includedFiles(spec.contextDirectory())) {
            Path path = spec.contextDirectory().resolve(file);
            if (output == null || !path.toAbsolutePath().normalize().startsWith(output)) {
                files.put(file, state(path));
            }
        }
        for (Map.Entry<String, Path> context : new TreeMap<>(spec.buildContexts()).entrySet()) {
            Path directory = context.getValue();
            List<Path> all;
            try (Stream<Path> walk = Files.walk(directory)) {
                all = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path path : all) {
                files.put(
                        context.getKey() + ":"
                                + directory.relativize(path).toString().replace('\\', '/'),
                        state(path));
            }
        }
        return files;
    }

    private static FileState state(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            String target = Files.readSymbolicLink(path).toString();
            return new FileState(
                    "link:" + HexFormat.of().formatHex(sha256(target.getBytes(StandardCharsets.UTF_8))), "link", 0);
        }
        return new FileState(HexFormat.of().formatHex(FileHashes.sha256(path)), mode(path), Files.size(path));
    }

    /** The permission bits as four octal digits; where the file system has none, executable or not. */
    static String mode(Path path) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int bits = 0;
            for (PosixFilePermission permission : permissions) {
                bits |= 1 << (8 - permission.ordinal());
            }
            return String.format("%04o", bits);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path) ? "0755" : "0644";
        }
    }

    /** One hash per top-level directory (and per file at the top) over its files' paths, modes and contents. */
    static Map<String, String> directoryHashes(Map<String, FileState> files) {
        Map<String, MessageDigest> digests = new TreeMap<>();
        new TreeMap<>(files).forEach((path, state) -> {
            MessageDigest digest = digests.computeIfAbsent(topLevel(path), d -> FileHashes.sha256());
            digest.update((path + " " + state.mode() + " " + state.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        });
        Map<String, String> out = new TreeMap<>();
        digests.forEach((directory, digest) -> out.put(directory, HexFormat.of().formatHex(digest.digest())));
        return out;
    }

    /** {@code src/} for {@code src/main/A.java}, the name itself for a file at the top. */
    static String topLevel(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash + 1);
    }

    private static byte[] sha256(byte[] bytes) {
        return FileHashes.sha256().digest(bytes);
    }
}
