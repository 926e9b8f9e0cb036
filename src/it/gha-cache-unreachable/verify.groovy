def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building GHA Cache Unreachable 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (lenient, strict) = builds

def warning = 'The type=gha cache cannot be used here: this step has no ACTIONS_RUNTIME_TOKEN, so buildx would leave the GitHub Actions cache out without a word'
// 1. Said once, before BuildKit starts; the build goes on without the gha cache and the result line says so.
assert lenient.count(warning) == 1
assert lenient.indexOf(warning) < lenient.indexOf('#1 [internal] load build definition')
def built = lenient.readLines().find { it.startsWith('[INFO] Built ') }
assert built != null
// The registry cache it imports was never written (this project exports to gha only): the line says so.
assert built.endsWith("; cache ${registry}/gha-cache-unreachable:buildcache (none yet) -> (no export: type=gha, which this step cannot reach (see the warning))") : built
// The image itself is built and pushed by digest (CI route).
def result = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.digest ==~ /sha256:[0-9a-f]{64}/

// 2. cacheStrict: the build stops before BuildKit runs, naming what is missing and the parameter.
assert strict.contains('this step has no ACTIONS_RUNTIME_TOKEN')
assert strict.contains('The cache is strict, so the build stops here.')
assert strict.contains('cacheStrict')
assert !strict.contains('#1 [internal] load build definition')
