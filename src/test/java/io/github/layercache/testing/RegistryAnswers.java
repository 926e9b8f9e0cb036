package io.github.layercache.testing;

/** What registries answer, as captured from real lookups, for the tests that parse it. */
public final class RegistryAnswers {

    /**
     * {@code docker buildx imagetools inspect --format '{{json .Manifest}}'} of an image index with a
     * provenance attestation; {@code %s} is the index's digest.
     */
    public static final String IMAGETOOLS_INDEX = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "digest": "%s",
              "size": 855,
              "manifests": [
                {
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                  "size": 482,
                  "platform": {"architecture": "amd64", "os": "linux"}
                },
                {
                  "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
                  "size": 566,
                  "annotations": {
                    "vnd.docker.reference.digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                    "vnd.docker.reference.type": "attestation-manifest"
                  },
                  "platform": {"architecture": "unknown", "os": "unknown"}
                }
              ]
            }""";

    private RegistryAnswers() {}
}
