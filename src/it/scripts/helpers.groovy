// Helpers for the projects' setup and verify scripts: evaluate(new File(itScripts, 'helpers.groovy'))
// puts them into the calling script's binding. They use its variables ecrEndpoint, envDir, authRegistry.

/** Waits for the ECR API emulator the main build started, then makes it forget earlier projects' calls. */
resetEcrEmulator = {
    def deadline = System.currentTimeMillis() + 30000
    while (true) {
        try {
            new URL("${ecrEndpoint}/__calls").text
            break
        } catch (IOException e) {
            assert System.currentTimeMillis() < deadline : "the ECR emulator at ${ecrEndpoint} is not up"
            sleep 200
        }
    }
    def reset = new URL("${ecrEndpoint}/__reset").openConnection()
    reset.requestMethod = 'POST'
    assert reset.responseCode == 200
}

/** The Authorization header for the htpasswd registry, as the ECR emulator's user. */
authRegistryAuth = {
    def password = new File(envDir, 'secrets/AWS.password').text.trim()
    "Basic " + "AWS:${password}".bytes.encodeBase64().toString()
}

/** The manifest a registry serves for repository:reference, as [digest, mediaType, body], or null when it has none. */
manifestOf = { String host, String repository, String reference, String authorization = null ->
    def get = new URL("http://${host}/v2/${repository}/manifests/${reference}").openConnection()
    get.setRequestProperty('Accept', 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json,'
            + ' application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json')
    if (authorization != null) {
        get.setRequestProperty('Authorization', authorization)
    }
    if (get.responseCode != 200) {
        return null
    }
    def text = get.inputStream.text
    [digest: get.getHeaderField('Docker-Content-Digest'), mediaType: get.contentType, body: new groovy.json.JsonSlurper().parseText(text)]
}

/** The bytes of blob digest in repository of a registry without auth. */
blobOf = { String host, String repository, String digest ->
    def get = new URL("http://${host}/v2/${repository}/blobs/${digest}").openConnection()
    assert get.responseCode == 200 : "no blob ${digest} in ${host}/${repository}: HTTP ${get.responseCode}"
    get.inputStream.bytes
}

/** The entries of a gzip-compressed layer blob: [name, type ('file', 'dir', ...), mtime seconds]. */
layerEntries = { byte[] blob ->
    def entries = []
    def tar = java.nio.file.Files.createTempFile('lc-it-layer', '.tar.gz')
    try {
        tar.toFile().bytes = blob
        def list = run(['tar', '--numeric-owner', '--full-time', '-tvzf', tar.toString()])
        assert list.exit == 0 : "cannot list the layer: ${list.output}"
        list.output.readLines().findAll { it.trim() }.each { line ->
            def fields = line.split(/\s+/, 6)
            entries << [name: fields[5], type: fields[0].startsWith('d') ? 'dir' : fields[0].startsWith('-') ? 'file' : fields[0][0],
                        mode: fields[0], owner: fields[1], time: fields[3] + ' ' + fields[4]]
        }
    } finally {
        java.nio.file.Files.deleteIfExists(tar)
    }
    entries
}

/** Runs image with its port 8080 published on 127.0.0.1 and returns the body of GET /, or fails after 90 s. */
httpAnswerOf = { String image ->
    def started = run(['docker', 'run', '-d', '-p', '127.0.0.1::8080', image])
    assert started.exit == 0 : "cannot start ${image}: ${started.output}"
    def container = started.output.trim().readLines().last()
    try {
        def port = run(['docker', 'port', container, '8080']).output.readLines().find { it.startsWith('127.0.0.1:') }
        assert port != null : "no port of ${container} on 127.0.0.1"
        def deadline = System.currentTimeMillis() + 90_000
        while (true) {
            try {
                def get = new URL("http://${port}/").openConnection()
                get.connectTimeout = 1000
                get.readTimeout = 5000
                if (get.responseCode == 200) {
                    return get.inputStream.text
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            assert System.currentTimeMillis() < deadline : "${image} did not answer on ${port}: " + run(['docker', 'logs', container]).output
            Thread.sleep(500)
        }
    } finally {
        run(['docker', 'rm', '-f', container])
    }
}

/** Deletes repository:tag from a registry when it is there (a cache left by an earlier run). */
deleteFromRegistry = { String host, String repository, String tag, String authorization = null ->
    def found = manifestOf(host, repository, tag, authorization)
    if (found != null) {
        def delete = new URL("http://${host}/v2/${repository}/manifests/${found.digest}").openConnection()
        delete.requestMethod = 'DELETE'
        if (authorization != null) {
            delete.setRequestProperty('Authorization', authorization)
        }
        assert delete.responseCode == 202 : "could not delete ${repository}:${tag}: HTTP ${delete.responseCode}"
    }
}

/** Deletes repository:tag from the htpasswd registry when it is there. */
deleteFromAuthRegistry = { String repository, String tag ->
    deleteFromRegistry(authRegistry, repository, tag, authRegistryAuth())
}

/** Runs a command, returns its exit code and output (standard output and error together). */
run = { List<String> command, Map<String, String> environment = [:] ->
    def builder = new ProcessBuilder(command).redirectErrorStream(true)
    builder.environment().putAll(environment)
    def process = builder.start()
    def output = process.inputStream.text
    [exit: process.waitFor(), output: output]
}
/**
 * A project whose build uses a docker config of its own gets the CLI plugins of the lane's config
 * (the today lane's buildx lives there), so that its build runs with the lane's buildx too.
 */
linkLaneCliPlugins = { File dockerConfig ->
    def lanePlugins = System.getenv('DOCKER_CONFIG') == null ? null : new File(System.getenv('DOCKER_CONFIG'), 'cli-plugins')
    if (lanePlugins != null && lanePlugins.isDirectory()) {
        java.nio.file.Files.createSymbolicLink(new File(dockerConfig, 'cli-plugins').toPath(), lanePlugins.toPath())
    }
}

// Every project, once it has run (a build.log exists), checks that the Docker Engine and buildx of
// its environment are the ones its lane promises (src/env/test.sh passes them).
if (binding.hasVariable('laneDockerVersion') && laneDockerVersion && new File(basedir, 'build.log').exists()
        && !binding.hasVariable('laneChecked')) {
    binding.setVariable('laneChecked', true)
    def server = run(['docker', 'version', '-f', '{{.Server.Version}}'])
    assert server.exit == 0 && server.output.trim() == laneDockerVersion :
            "this lane promises Docker Engine ${laneDockerVersion}, the environment has: ${server.output.trim()}"
    def buildx = run(['docker', 'buildx', 'version'])
    assert buildx.exit == 0 && buildx.output.split(/\s+/).contains(laneBuildxVersion) :
            "this lane promises buildx ${laneBuildxVersion}, the environment has: ${buildx.output.trim()}"
}
return true
