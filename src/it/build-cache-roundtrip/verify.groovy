import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def repository = "${registry}/build-cache-roundtrip"
def cacheRef = "${repository}:buildcache"

// build.log holds both invocations; Maven prints this header once per invocation.
def builds = log.split(/\[INFO\] Building Roundtrip Service 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (cold, warm) = builds

// The expensive step ran in the cold build and came from the registry cache in the warm one.
// BuildKit names the step with the build argument expanded.
def expensive = /#(\d+) \[deps 2\/2\] RUN echo "resolving dependencies for run ${runId}".*/
def stepOutcome = { String text ->
    def id = (text =~ expensive)[0][1]
    (text =~ /(?m)^\[INFO\] #${id} (CACHED|DONE [0-9.]+s)$/)[0][1]
}
def stepOutput = /(?m)^\[INFO\] #\d+ [0-9.]+ resolving dependencies for run ${runId}$/
assert stepOutcome(cold).startsWith('DONE') : 'the cold build ran the expensive step'
assert cold =~ stepOutput : 'the step printed its output when it ran'
assert stepOutcome(warm) == 'CACHED' : 'the warm build took the expensive step from the cache'
assert !(warm =~ stepOutput) : 'the step did not run in the warm build'
assert warm.contains("importing cache manifest from ${cacheRef}")
assert !warm.contains('failed to configure registry cache importer') : 'the warm build found the cache'
assert cold.contains("No cache at ${cacheRef} yet") : 'a first build reports the cache miss as info'

// The results: one JSON per build, and the summary line.
def slurper = new JsonSlurper()
def coldResult = slurper.parse(new File(basedir, 'target/layercache/image.json'))
def warmResult = slurper.parse(new File(basedir, 'target/layercache/warm.json'))
[coldResult, warmResult].each { r ->
    assert r.image == repository
    assert r.tags == ['1.0.0']
    assert r.references == ["${repository}:1.0.0".toString()]
    assert r.digest ==~ /sha256:[0-9a-f]{64}/
    assert r.cache.from == [cacheRef]
    assert r.cache.to == [cacheRef]
    assert r.cache.problems == []
    assert r.steps.total == 3
}
assert coldResult.steps.cached == 0
assert warmResult.steps.cached >= 2 : "warm build cached ${warmResult.steps.cached} of 3 steps"
assert log =~ /\[INFO\] Built ${java.util.regex.Pattern.quote(repository)}:1\.0\.0 \(sha256:[0-9a-f]{12}\) in [0-9.]+ s; [23] of 3 steps cached; [0-9.]+ MB of cached layers pulled; cache ${java.util.regex.Pattern.quote(cacheRef)} -> ${java.util.regex.Pattern.quote(cacheRef)}/

// The recorded digest is the image that was built, and the project property carries it.
def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${repository}:1.0.0"].execute()
def imageId = inspect.text.trim()
assert inspect.waitFor() == 0
assert imageId == warmResult.digest : "docker has ${imageId}, the plugin recorded ${warmResult.digest}"
assert log.contains("property layercache.image.digest=${warmResult.digest}")
assert log.contains("property layercache.image.digest=${coldResult.digest}")

// OCI labels from the project, plus the user's own.
def labelsJson = ['docker', 'image', 'inspect', '--format', '{{json .Config.Labels}}', "${repository}:1.0.0"].execute().text
def labels = slurper.parseText(labelsJson)
assert labels['org.opencontainers.image.title'] == 'Roundtrip Service'
assert labels['org.opencontainers.image.version'] == '1.0.0'
assert labels['org.opencontainers.image.description'] == 'A multi-stage image whose dependency stage is expensive.'
assert labels['team'] == 'payments'

// The cache in the registry is an OCI image manifest with a BuildKit cache config: the form ECR accepts.
evaluate(new File(itScripts, 'helpers.groovy'))
def cache = manifestOf(registry, 'build-cache-roundtrip', 'buildcache')
assert cache != null
assert cache.mediaType == 'application/vnd.oci.image.manifest.v1+json'
def manifest = cache.body
assert manifest.mediaType == 'application/vnd.oci.image.manifest.v1+json'
assert manifest.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'
assert manifest.layers.size() >= 2
return true
