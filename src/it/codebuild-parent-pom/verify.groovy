import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def slurper = new JsonSlurper()
evaluate(new File(itScripts, 'helpers.groovy'))
def auth = authRegistryAuth()
def manifest = { String reference ->
    def get = new URL("http://${authRegistry}/v2/orders-service/manifests/${reference}").openConnection()
    get.setRequestProperty('Authorization', auth)
    get.setRequestProperty('Accept', 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json')
    get.responseCode == 200 ? [digest: get.getHeaderField('Docker-Content-Digest'), body: slurper.parse(get.inputStream)] : null
}

assert log.contains('BUILD SUCCESS')

// CodeBuild was recognised from its own variables, and that turned the cache export on.
assert log.contains('[INFO] CI: AWS CodeBuild (CODEBUILD_BUILD_ID is set), so the cache is exported (cacheExportOnlyInCi).')
assert !log.contains('Not a CI build') && !log.contains('(no export')
assert log =~ /Built \S+:1\.0\.0, \S+:3f2a9c41d2e8 .*; cache \S+:buildcache -> \S+:buildcache/

// The cache is in the registry afterwards, in the form ECR accepts.
def cache = manifest('buildcache')
assert cache != null : 'no cache manifest in the registry: the cache was not exported'
assert cache.body.mediaType == 'application/vnd.oci.image.manifest.v1+json'
assert cache.body.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'

// The SDK took CodeBuild's container credentials, and one token served the build.
def calls = slurper.parse(new URL("${ecrEndpoint}/__calls"))
assert calls.ContainerCredentials >= 1 : "the container credentials endpoint was never asked: ${calls}"
assert calls.GetAuthorizationToken == 1
assert calls.accessKeys.every { it == 'AKIDLAYERCACHETEST01' }

// Both tags went out at the recorded digest, and the jar was deployed after the image.
def result = slurper.parse(new File(basedir, 'orders-service/target/layercache/image.json'))
['1.0.0', '3f2a9c41d2e8'].each { tag ->
    assert manifest(tag)?.digest == result.pushed.digest : "${tag} points at the pushed digest"
}
assert new File(basedir, 'target/deploy-repo/io/github/layercache/it/orders-service/1.0.0/orders-service-1.0.0.jar').isFile()
def pushed = log.indexOf('[INFO] Pushed ')
def upload = log =~ /Uploading to local-file: \S+\/orders-service-1\.0\.0\.jar/
def uploaded = upload.find() ? upload.start() : -1
assert pushed >= 0 && uploaded > pushed : 'the image was pushed before the Maven artifacts were deployed'
assert !log.contains('would be deployed before its image') : 'the README order raises no warning'
return true
