import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def auth = authRegistryAuth()
def slurper = new JsonSlurper()
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Reactor Build Order:/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (cold, fresh) = builds
def expensive = /#(\d+) \[deps 2\/2\] RUN echo "resolving dependencies for run ${runId}".*/
def tags = ['1.0.0', '3f2a9c41d2e8']

builds.each { run ->
    assert run.contains('BUILD SUCCESS')
    // CodeBuild was recognised from its own variables, and that turned the cache export on.
    assert run.contains('[INFO] CI: AWS CodeBuild (CODEBUILD_BUILD_ID is set), so the cache is exported (cacheExportOnlyInCi).')
    assert !run.contains('Not a CI build') && !run.contains('(no export')
    // The README's parent POM deploys the jar after the image.
    def pushed = run.indexOf('[INFO] Pushed ')
    def upload = run =~ /Uploading to local-file: \S+\/orders-service-1\.0\.0\.jar/
    assert pushed >= 0 && upload.find() && upload.start() > pushed : 'the image was pushed before the jar was deployed'
    assert !run.contains('would be deployed before its image') : 'the README order raises no warning'
}

// The builder buildx-setup made is a docker-container builder on CodeBuild's daemon (the classic image
// store), booted from the BuildKit image the README points at, pulled with the ECR login.
assert cold.contains("Creating buildx builder 'layercache' (driver docker-container)")
assert cold.contains("pulling image ${authRegistry}/mirror/moby-buildkit:buildx-stable-1")
assert fresh.contains("Reusing buildx builder 'layercache' (driver docker-container, running)")
def inspect = run(['docker', 'buildx', 'inspect', 'layercache'], [BUILDX_CONFIG: new File(basedir, 'buildx').path])
assert inspect.exit == 0 && inspect.output =~ /Endpoint:\s+unix:\/\/\/var\/run\/layercache-classic\/docker\.sock/ : inspect.output

// The cache was exported cold, in the form ECR accepts, and imported on the fresh machine.
def coldId = (cold =~ expensive)[0][1]
assert !(cold =~ /(?m)^\[INFO\] \[orders-service\] #${coldId} CACHED$/) && !(cold =~ /(?m)^\[INFO\] #${coldId} CACHED$/)
def freshId = (fresh =~ expensive)[0][1]
assert fresh =~ /(?m)^\[INFO\] #${freshId} CACHED$/ : 'the expensive step came from the registry cache'
assert fresh.contains("importing cache manifest from ${authRegistry}/orders-service:buildcache")
def cache = manifestOf(authRegistry, 'orders-service', 'buildcache', auth)
assert cache != null : 'no cache manifest in the registry: the cache was not exported'
assert cache.body.mediaType == 'application/vnd.oci.image.manifest.v1+json'
assert cache.body.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'

// In CI the image goes from BuildKit to the registry by digest, and push only tags it there: what was
// built is what the registry serves for every tag, even on the classic image store, which would have
// re-encoded it on docker push. Nothing was loaded into CodeBuild's Docker. The table shows that digest.
def result = slurper.parse(new File(basedir, 'orders-service/target/layercache/image.json'))
assert result.output == 'registry'
assert result.pushed.digest == result.digest
tags.each { tag ->
    assert manifestOf(authRegistry, 'orders-service', tag, auth)?.digest == result.digest : "${tag} is at the built digest"
}
assert !log.contains('re-encoded the image on push') && !log.contains('The push refers to repository')
assert run(['docker', 'image', 'inspect', "${authRegistry}/orders-service:1.0.0".toString()], [DOCKER_HOST: classicDockerHost]).exit != 0
assert fresh =~ /orders-service\s+\S+orders-service:1\.0\.0,3f2a9c41d2e8\s+${result.digest.substring(0, 19)}\s/ : 'the table shows the shipped digest'

// The SDK took CodeBuild's container credentials, and one token served each build.
def calls = slurper.parse(new URL("${ecrEndpoint}/__calls"))
assert calls.ContainerCredentials >= 1 : "the container credentials endpoint was never asked: ${calls}"
assert calls.accessKeys.every { it == 'AKIDLAYERCACHETEST01' }
assert new File(basedir, 'target/deploy-repo/io/github/layercache/it/orders-service/1.0.0/orders-service-1.0.0.jar').isFile()
return true
