// The ECR emulator (started by the main build) counts this project's token requests from zero.
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

// A cold first build: no cache left in the registry by an earlier run.
def password = new File(envDir, 'secrets/AWS.password').text.trim()
def auth = "Basic " + "AWS:${password}".bytes.encodeBase64().toString()
['orders-service', 'team/billing'].each { repository ->
    def head = new URL("http://${authRegistry}/v2/${repository}/manifests/buildcache").openConnection()
    head.requestMethod = 'HEAD'
    head.setRequestProperty('Authorization', auth)
    head.setRequestProperty('Accept', 'application/vnd.oci.image.manifest.v1+json')
    if (head.responseCode == 200) {
        def delete = new URL("http://${authRegistry}/v2/${repository}/manifests/${head.getHeaderField('Docker-Content-Digest')}").openConnection()
        delete.requestMethod = 'DELETE'
        delete.setRequestProperty('Authorization', auth)
        assert delete.responseCode == 202
    }
}
return true
