import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Reactor Build Order:/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (cold, warm) = builds

// buildx-setup created the remote builder once, for the BuildKit daemon at the endpoint.
assert (cold =~ /Created buildx builder 'lc-it-remote'/).size() == 1
assert (cold =~ /Reusing buildx builder 'lc-it-remote' \(driver remote, running\)/).size() == 1
def inspect = run(['docker', 'buildx', 'inspect', 'lc-it-remote'])
assert inspect.output =~ /Driver:\s+remote/ && inspect.output.contains(remoteBuildkitEndpoint()) : inspect.output

['a', 'b'].each { m ->
    def image = "remote-service-${m}"
    def step = /#(\d+) \[deps 2\/2\] RUN echo "resolving dependencies of service-${m} for run ${runId}".*/
    // Cold: the step ran and the cache went to the registry.
    def coldId = (cold =~ step)[0][1]
    assert !(cold =~ /(?m)^\[INFO\] \[${image}\] #${coldId} CACHED$/)
    def cache = manifestOf(registry, image, 'buildcache')
    assert cache != null && cache.body.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'
    // On the pruned BuildKit: the step came from the registry cache.
    def warmId = (warm =~ step)[0][1]
    assert warm =~ /(?m)^\[INFO\] \[${image}\] #${warmId} CACHED$/ : "${image}: the expensive step came from the registry cache"
    assert warm.contains("[${image}] #") && warm.contains("importing cache manifest from ${registry}/${image}:buildcache")
    def result = new JsonSlurper().parse(new File(basedir, "service-${m}/target/layercache/image.json"))
    assert result.output == 'registry' : 'in CI the image went from the remote BuildKit to the registry by digest'
    assert result.pushed.digest == result.digest
    assert manifestOf(registry, image, '1.0.0').digest == result.digest
}
return true

String remoteBuildkitEndpoint() {
    def environment = new Properties()
    new File(envDir, 'env.properties').withInputStream { environment.load(it) }
    environment.getProperty('remote.buildkit.endpoint')
}
