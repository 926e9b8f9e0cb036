package io.github.layercache.registry;

import io.github.layercache.core.FileHashes;
import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Gives an image the registry already has a tag, through the registry's own API: its manifest is
 * read by digest and put under the tag byte for byte, so the tag names exactly the digest that was
 * built, and no layer moves. ({@code docker buildx imagetools create} would wrap a single manifest
 * in a new index, with another digest.) Speaks Basic and Bearer token authentication as registries
 * ask for them, Amazon ECR's included.
 */
public final class ManifestTagger {

    private static final String ACCEPT = String.join(
            ", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    /** The artifact type of a fingerprint mark. */
    public static final String MARK_ARTIFACT_TYPE = "application/vnd.layercache.fingerprint.v1";
    /** The annotation of a mark that holds the whole fingerprint. */
    public static final String FINGERPRINT_ANNOTATION = "io.github.layercache.fingerprint";

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
    /** The digest of the two bytes {@code {}}, OCI's empty descriptor. */
    private static final String EMPTY_DIGEST =
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    /** The descriptor of the two bytes {@code {}}, the config (and a mark's layer) of every artifact this writes. */
    private static final Map<String, Object> EMPTY_DESCRIPTOR =
            Map.of("mediaType", EMPTY_MEDIA_TYPE, "digest", EMPTY_DIGEST, "size", 2);

    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** The registry cannot be asked with what this tagger knows (no credentials it accepts). */
    public static final class NotAuthorized extends LayercacheException {
        NotAuthorized(String message) {
            super(message);
        }
    }

    private final Function<String, Optional<RegistryCredential>> credentials;
    private final RegistryHttp http;

    /** @param credentials the user name and password for a registry host, when there are any */
    public ManifestTagger(Function<String, Optional<RegistryCredential>> credentials, Duration timeout) {
        this.credentials = credentials;
        this.http = new RegistryHttp(timeout);
    }

    /**
     * Puts the manifest of {@code repository@digest} under {@code tag}.
     *
     * @throws NotAuthorized when the registry refuses the credentials this tagger has (or has none)
     * @throws LayercacheException when the registry answers with an error, saying which (a refusal names
     *     its reason, e.g. "denied", "tag invalid")
     */
    public void tag(ImageReference repository, String digest, String tag) throws LayercacheException {
        Session session = new Session(repository);
        String base = session.base;
        RegistryHttp.Response manifest = session.readManifest(digest, "GET");
        String mediaType = mediaType(manifest)
                .orElseThrow(() -> new LayercacheException(
                        "The registry answered for " + repository.name() + "@" + digest + " without a media type."));
        RegistryHttp.Response put = session.send(
                RegistryHttp.Request.put(URI.create(base + "/manifests/" + tag), mediaType, manifest.body()));
        if (put.statusCode() != 201 && put.statusCode() != 200) {
            throw failure("tag " + repository.withTag(tag), put);
        }
        String stored = put.header("Docker-Content-Digest").orElse(digest);
        if (!stored.equals(digest)) {
            throw new LayercacheException("The registry stored " + repository.withTag(tag) + " as " + stored
                    + ", not as the copied manifest " + digest + ".");
        }
    }

    /**
     * Writes the fingerprint mark of {@code repository@digest} under {@code tag}: a small OCI artifact
     * ({@value #MARK_ARTIFACT_TYPE}) whose {@code subject} is the image. The image itself gets no tag,
     * so that the lifecycle policy can expire marks without ever touching an image.
     */
    public void mark(ImageReference repository, String digest, String tag, String fingerprint)
            throws LayercacheException {
        Session session = new Session(repository);
        String base = session.base;
        RegistryHttp.Response image = session.readManifest(digest, "HEAD");
        String mediaType = mediaType(image).orElse("");
        long size = image.header("Content-Length").map(Long::parseLong).orElse(-1L);
        if (mediaType.isEmpty() || size < 0) {
            throw new LayercacheException("The registry answered for " + repository.name() + "@" + digest
                    + " without its media type and size.");
        }
        uploadEmptyBlob(session, base, repository);
        Map<String, Object> mark = artifactManifest(MARK_ARTIFACT_TYPE, EMPTY_DESCRIPTOR);
        mark.put("subject", Map.of("mediaType", mediaType, "digest", digest, "size", size));
        mark.put("annotations", Map.of(FINGERPRINT_ANNOTATION, fingerprint));
        RegistryHttp.Response put = session.send(RegistryHttp.Request.put(
                URI.create(base + "/manifests/" + tag), OCI_MANIFEST, utf8(JsonDocuments.compact(mark))));
        if (put.statusCode() != 201 && put.statusCode() != 200) {
            throw failure("write the fingerprint mark " + repository.withTag(tag), put);
        }
    }

    /** The two bytes {@code {}} every mark's config and layer is, uploaded once per repository. */
    private static void uploadEmptyBlob(Session session, String base, ImageReference repository)
            throws LayercacheException {
        uploadBlob(session, base, repository, EMPTY_DIGEST, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads {@code content} as the blob {@code digest} in one request, unless the repository has it. */
    private static void uploadBlob(
            Session session, String base, ImageReference repository, String digest, byte[] content)
            throws LayercacheException {
        RegistryHttp.Response head = session.send(RegistryHttp.Request.head(URI.create(base + "/blobs/" + digest)));
        if (head.statusCode() == 200 || head.statusCode() / 100 == 3) {
            // a redirect to where the registry stores the blob: it has it
            return;
        }
        upload(session, base, repository, digest, content);
    }

    /** Uploads {@code content} as the blob {@code digest} in one request. */
    private static void upload(Session session, String base, ImageReference repository, String digest, byte[] content)
            throws LayercacheException {
        RegistryHttp.Response start = session.send(RegistryHttp.Request.post(URI.create(base + "/blobs/uploads/")));
        Optional<String> location = start.header("Location");
        if (start.statusCode() != 202 || location.isEmpty()) {
            throw failure("start a blob upload to " + repository.name(), start);
        }
        URI upload = URI.create(base).resolve(location.get());
        String separator = upload.getRawQuery() == null ? "?" : "&";
        RegistryHttp.Response put = session.send(RegistryHttp.Request.put(
                URI.create(upload + separator + "digest=" + encode(digest)), "application/octet-stream", content));
        if (put.statusCode() != 201) {
            throw failure("upload a blob to " + repository.name(), put);
        }
    }

    /**
     * A blob in a repository, as a manifest's descriptor names it.
     *
     * @param repository the repository it was uploaded to
     */
    public record Blob(ImageReference repository, String mediaType, String digest, long size) {}

    /** An artifact as read back: its one layer's content, and the manifest's annotations. */
    public record Artifact(byte[] content, Map<String, String> annotations) {
        public Artifact {
            annotations = Map.copyOf(annotations);
        }
    }

    /**
     * Uploads the layer of a small OCI artifact and the empty config, without tagging anything yet: a
     * build does this while BuildKit works, so that {@link #putArtifact} has only the manifest left.
     * The layer's content is new each time (records carry a salt), so its existence is not asked.
     */
    public Blob uploadLayer(ImageReference repository, String mediaType, byte[] content) throws LayercacheException {
        Session session = new Session(repository);
        String digest = "sha256:" + HexFormat.of().formatHex(FileHashes.sha256().digest(content));
        uploadEmptyBlob(session, session.base, repository);
        upload(session, session.base, repository, digest, content);
        return new Blob(repository, mediaType, digest, content.length);
    }

    /**
     * Tags a small OCI artifact of {@code artifactType} whose one layer is {@code layer} (uploaded by
     * {@link #uploadLayer} to the same repository), with an empty config and these annotations.
     * Replaces what the tag named before.
     */
    public void putArtifact(String tag, String artifactType, Blob layer, Map<String, String> annotations)
            throws LayercacheException {
        Session session = new Session(layer.repository());
        Map<String, Object> manifest = artifactManifest(
                artifactType, Map.of("mediaType", layer.mediaType(), "digest", layer.digest(), "size", layer.size()));
        if (!annotations.isEmpty()) {
            manifest.put("annotations", annotations);
        }
        RegistryHttp.Response put = session.send(RegistryHttp.Request.put(
                URI.create(session.base + "/manifests/" + tag), OCI_MANIFEST, utf8(JsonDocuments.compact(manifest))));
        if (put.statusCode() != 201 && put.statusCode() != 200) {
            throw failure("write " + layer.repository().withTag(tag), put);
        }
    }

    /**
     * The artifact of {@code artifactType} under {@code tag}; empty when the tag does not exist or
     * names something else.
     */
    public Optional<Artifact> readArtifact(ImageReference repository, String tag, String artifactType)
            throws LayercacheException {
        Session session = new Session(repository);
        RegistryHttp.Response manifest =
                session.send(RegistryHttp.Request.get(URI.create(session.base + "/manifests/" + tag))
                        .header("Accept", OCI_MANIFEST));
        if (manifest.statusCode() == 404) {
            return Optional.empty();
        }
        if (manifest.statusCode() != 200) {
            throw failure("read " + repository.withTag(tag), manifest);
        }
        JsonNode document;
        try {
            document = JsonDocuments.tree(new String(manifest.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode layer = document.path("layers").path(0);
        if (!artifactType.equals(document.path("artifactType").asString(""))
                || !layer.path("digest").isString()) {
            return Optional.empty();
        }
        String digest = layer.path("digest").asString();
        RegistryHttp.Response blob =
                session.send(RegistryHttp.Request.get(URI.create(session.base + "/blobs/" + digest)));
        Optional<String> elsewhere = blob.header("Location");
        if (blob.statusCode() / 100 == 3 && elsewhere.isPresent()) {
            // ECR serves blobs from a signed storage address, which takes no registry credentials.
            blob = plain(URI.create(session.base).resolve(elsewhere.get()));
        }
        if (blob.statusCode() != 200) {
            throw failure("read the blob " + digest + " of " + repository.withTag(tag), blob);
        }
        if (!digest.equals(
                "sha256:" + HexFormat.of().formatHex(FileHashes.sha256().digest(blob.body())))) {
            throw new LayercacheException("The registry served a blob of " + repository.withTag(tag)
                    + " whose content does not match its digest " + digest + ".");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        document.path("annotations").properties().forEach(e -> {
            if (e.getValue().isString()) {
                annotations.put(e.getKey(), e.getValue().asString());
            }
        });
        return Optional.of(new Artifact(blob.body(), annotations));
    }

    private RegistryHttp.Response plain(URI uri) throws LayercacheException {
        try {
            return http.send(RegistryHttp.Request.get(uri));
        } catch (IOException e) {
            throw new LayercacheException("Cannot read " + uri.getHost() + ": " + e);
        }
    }

    /** The authorization of one tagging: Basic until the registry asks for a token, then that token. */
    private final class Session {
        private final String host;
        /** The repository's API address, {@code http(s)://host/v2/name}. */
        private final String base;

        private final ImageReference repository;
        private final Optional<RegistryCredential> credential;
        private String authorization;

        Session(ImageReference repository) {
            this.host = repository.registryHost().orElse("registry-1.docker.io");
            this.base = (isLoopback(host) ? "http://" : "https://") + apiHost(host) + "/v2/" + path(repository);
            this.repository = repository;
            this.credential = credentials.apply(host);
            this.authorization = credential.map(c -> "Basic " + basic(c)).orElse(null);
        }

        /** The manifest of {@code reference} ({@code GET} or {@code HEAD}), or the registry's refusal as an error. */
        RegistryHttp.Response readManifest(String reference, String method) throws LayercacheException {
            RegistryHttp.Response response =
                    send(new RegistryHttp.Request(method, URI.create(base + "/manifests/" + reference), Map.of(), null)
                            .header("Accept", ACCEPT));
            if (response.statusCode() != 200) {
                throw failure("read the manifest of " + repository.name() + "@" + reference, response);
            }
            return response;
        }

        RegistryHttp.Response send(RegistryHttp.Request request) throws LayercacheException {
            RegistryHttp.Response response = exchange(request);
            if (response.statusCode() == 401) {
                Optional<String> challenge = response.header("WWW-Authenticate");
                if (challenge.isPresent()
                        && challenge.get().toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                    authorization = "Bearer " + token(challenge.get());
                    response = exchange(request);
                }
                if (response.statusCode() == 401) {
                    throw new NotAuthorized("The registry " + host + " refused the request for " + repository.name()
                            + " (401 unauthorized)" + (credential.isPresent() ? "" : "; no credentials"));
                }
            }
            return response;
        }

        private RegistryHttp.Response exchange(RegistryHttp.Request request) throws LayercacheException {
            try {
                return http.send(authorization == null ? request : request.header("Authorization", authorization));
            } catch (IOException e) {
                throw new LayercacheException("Cannot reach the registry " + host + ": " + e);
            }
        }

        /** A token from the registry's token service, for pulling and pushing this repository. */
        private String token(String challenge) throws LayercacheException {
            Map<String, String> parameters = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAMETER.matcher(challenge);
            while (m.find()) {
                parameters.put(m.group(1), m.group(2));
            }
            String realm = parameters.get("realm");
            if (realm == null) {
                throw new NotAuthorized("The registry " + host + " asked for a token without saying where to get it.");
            }
            StringBuilder uri = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
            if (parameters.containsKey("service")) {
                uri.append("service=").append(encode(parameters.get("service"))).append('&');
            }
            uri.append("scope=").append(encode("repository:" + path(repository) + ":pull,push"));
            RegistryHttp.Request request = RegistryHttp.Request.get(URI.create(uri.toString()));
            if (credential.isPresent()) {
                request = request.header("Authorization", "Basic " + basic(credential.get()));
            }
            try {
                RegistryHttp.Response response = http.send(request);
                if (response.statusCode() != 200) {
                    throw new NotAuthorized("The token service of " + host + " refused a token for " + repository.name()
                            + " (HTTP " + response.statusCode() + ")");
                }
                JsonNode answer = JsonDocuments.tree(new String(response.body(), StandardCharsets.UTF_8));
                String token = answer.path("token").isString()
                        ? answer.path("token").stringValue()
                        : answer.path("access_token").stringValue();
                if (token == null || token.isEmpty()) {
                    throw new NotAuthorized("The token service of " + host + " answered without a token.");
                }
                return token;
            } catch (IOException e) {
                throw new LayercacheException("Cannot get a token from " + realm + ": " + e.getMessage());
            }
        }
    }

    /** An OCI artifact manifest of one layer, with the empty config; callers add a subject or annotations. */
    private static Map<String, Object> artifactManifest(String artifactType, Map<String, Object> layer) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.put("config", EMPTY_DESCRIPTOR);
        manifest.put("layers", List.of(layer));
        return manifest;
    }

    private static Optional<String> mediaType(RegistryHttp.Response response) {
        return response.header("Content-Type").map(t -> t.split(";", 2)[0].trim());
    }

    /** The registry's error, as its JSON says it ({@code {"errors": [{"code": "DENIED", …}]}}), or its status. */
    private static LayercacheException failure(String what, RegistryHttp.Response response) {
        String detail = "HTTP " + response.statusCode();
        try {
            JsonNode errors = JsonDocuments.tree(new String(response.body(), StandardCharsets.UTF_8))
                    .path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                detail =
                        first.path("code").asString("").toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                                + first.path("message").asString("");
            }
        } catch (IOException | RuntimeException e) {
            // no JSON error document: the status says it
        }
        return new LayercacheException("Cannot " + what + ": " + detail);
    }

    private static String path(ImageReference repository) {
        String path = repository.path();
        return repository.registryHost().isEmpty() && !path.contains("/") ? "library/" + path : path;
    }

    /** Docker Hub's registry API is not at the name images use. */
    private static String apiHost(String host) {
        return DockerHub.apiHost(host);
    }

    /** Docker's rule: a registry on the machine itself may speak plain HTTP. */
    static boolean isLoopback(String host) {
        String name = host.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    private static String basic(RegistryCredential credential) {
        return Base64.getEncoder()
                .encodeToString((credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
