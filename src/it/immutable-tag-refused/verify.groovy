import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Immutable Tag Refused 1\.0\.0/).drop(1)
assert builds.size() == 3 : "expected three builds in build.log, found ${builds.size()}"
def (first, next, strict) = builds
def registryHost = immutableRegistry
def cacheTag = "buildcache${runId}"
def cacheRef = "${registryHost}/immutable-tag-refused:${cacheTag}"

// 1. The first export wrote the tag.
assert !first.contains('Could not export the cache')
def written = (first =~ /writing cache (?:image )?manifest (sha256:[0-9a-f]{64})/).collect { it[1] }.unique()
assert written.size() == 1
assert manifestOf(registryHost, 'immutable-tag-refused', cacheTag)?.digest == written[0]

// 2. The next commit's export was refused: a warning with the cause and the fix, the build green.
def warning = next.readLines().find { it.startsWith("[WARNING] Could not export the cache to ${cacheRef} (") }
assert warning != null : 'a refused export is a warning naming the cache'
assert warning.contains('The repository keeps its tags immutable, so the cache tag, which moves with every export,'
        + ' was written once and can never be updated.')
assert warning.contains('or set cacheRef to a repository with mutable tags.')
assert next.contains('BUILD SUCCESS')
def result = new JsonSlurper().parse(new File(basedir, 'target/two.json'))
assert result.cache.problems.any { it.startsWith("export ${cacheRef}: ") }
assert manifestOf(registryHost, 'immutable-tag-refused', cacheTag)?.digest == written[0] : 'the tag stayed where it was'

// 3. With cacheStrict the refusal fails the build, and says why.
def error = strict.substring(strict.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("Could not export the cache to ${cacheRef} (")
assert error.contains('The repository keeps its tags immutable')
assert error.contains('Failing because the cache is strict.')
return true
