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
return true
