// Start from a registry without this image's tags and cache.
['buildcache', '1.0.0', 'latest'].each { tag ->
    def head = new URL("http://${registry}/v2/deploy-flow/manifests/${tag}").openConnection()
    head.requestMethod = 'HEAD'
    head.setRequestProperty('Accept', 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json')
    if (head.responseCode == 200) {
        def delete = new URL("http://${registry}/v2/deploy-flow/manifests/${head.getHeaderField('Docker-Content-Digest')}").openConnection()
        delete.requestMethod = 'DELETE'
        assert delete.responseCode == 202
    }
}
return true
