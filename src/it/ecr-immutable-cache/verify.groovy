import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building ECR Immutable Cache 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (first, next) = builds
def cacheRef = "${authRegistry}/ecr-immutable-cache-cache:buildcache".toString()

// 1. Each build said where the cache went and why, and wrote it there.
builds.each { build ->
    assert build.contains("The ECR repository ecr-immutable-cache keeps its tags immutable (IMMUTABLE), so its cache tag"
            + " could never move: the cache goes to ${authRegistry}/ecr-immutable-cache-cache, whose tags can.")
    assert !build.contains('Could not export the cache')
}
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.cache.from == [cacheRef]
assert result.cache.to == [cacheRef]

// 2. The cache moved with the next commit: its expensive step came from the cache written by the first.
def expensive = (next =~ /#(\d+) \[\d+\/\d+\] RUN echo "expensive step, run ${runId}".*/)[0][1]
assert next =~ /(?m)^\[INFO\] #${expensive} CACHED$/ : 'the next commit rebuilt what the first had cached'
def written = { String build -> (build =~ /writing cache (?:image )?manifest (sha256:[0-9a-f]{64})/).collect { it[1] }.unique() }
assert written(first).size() == 1 && written(next).size() == 1
assert written(first)[0] != written(next)[0] : 'the second export wrote a new cache'
assert manifestOf(authRegistry, 'ecr-immutable-cache-cache', 'buildcache', authRegistryAuth())?.digest == written(next)[0]
assert manifestOf(authRegistry, 'ecr-immutable-cache', 'buildcache', authRegistryAuth()) == null : 'nothing went to the immutable repository\'s cache tag'

// 3. The cache's repository: created with mutable tags and the plugin's lifecycle policy.
def repositories = new JsonSlurper().parseText(new URL("${ecrEndpoint}/__repositories").text)
assert repositories['ecr-immutable-cache'].imageTagMutability == 'IMMUTABLE'
assert repositories['ecr-immutable-cache-cache'].imageTagMutability == 'MUTABLE'
assert repositories['ecr-immutable-cache-cache'].lifecyclePolicyText.contains('"tagPatternList":["buildcache-*"]')
return true
