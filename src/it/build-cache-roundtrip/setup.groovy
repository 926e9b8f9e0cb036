// A cold build needs a registry without this image's cache: delete what an earlier run exported.
def deleteTag = { String repository, String tag ->
    def head = new URL("http://${registry}/v2/${repository}/manifests/${tag}").openConnection()
    head.requestMethod = 'HEAD'
    head.setRequestProperty('Accept', 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json')
    if (head.responseCode == 404) {
        return
    }
    assert head.responseCode == 200 : "registry answered ${head.responseCode} for ${repository}:${tag}"
    def digest = head.getHeaderField('Docker-Content-Digest')
    def delete = new URL("http://${registry}/v2/${repository}/manifests/${digest}").openConnection()
    delete.requestMethod = 'DELETE'
    assert delete.responseCode == 202 : "could not delete ${repository}:${tag}: ${delete.responseCode}"
}
deleteTag('build-cache-roundtrip', 'buildcache')
return true
