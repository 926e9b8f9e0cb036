import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building unknown-branch 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (main, pullRequest) = builds
def repository = "${registry}/unknown-branch"
def mainCache = "${repository}:buildcache".toString()
def ownCache = "${repository}:buildcache-unknown-branch".toString()
def slurper = new JsonSlurper()

// 1. The main build: its branch set (as the README's buildspec sets it), main's cache written.
def mainResult = slurper.parse(new File(basedir, 'target/layercache/image.json'))
assert mainResult.cache.to == [mainCache]
assert !main.contains('branch of this build is not known')
def mainCacheDigest = manifestOf(registry, 'unknown-branch', 'buildcache')?.digest
assert mainCacheDigest != null

// 2. The pull request from a detached HEAD: said once, with how to set the branch; main's cache read, its own written.
assert pullRequest.contains("The branch of this build is not known (a detached HEAD, or CI did not say): it reads"
        + " ${mainCache} and writes ${ownCache}, not the main branch's cache. Set -Dlayercache.branch=<branch>;"
        + " a pipeline that builds main sets -Dlayercache.branch=main.")
def prResult = slurper.parse(new File(basedir, 'target/pr.json'))
assert prResult.cache.from == [ownCache, mainCache]
assert prResult.cache.to == [ownCache]
assert prResult.cache.problems == []
// On a fresh machine the expensive step came from main's cache; the changed step ran.
def expensive = (pullRequest =~ /#(\d+) \[\d+\/\d+\] RUN echo "expensive step, run ${runId}".*/)[0][1]
assert pullRequest =~ /(?m)^\[INFO\] #${expensive} CACHED$/ : 'the pull request rebuilt what main had cached'
def changed = (pullRequest =~ /#(\d+) \[\d+\/\d+\] RUN echo "the pull request's change: pr-42".*/)[0][1]
assert !(pullRequest =~ /(?m)^\[INFO\] #${changed} CACHED$/)

// 3. In the registry: main's cache is still the main build's, and the pull request's is beside it.
assert manifestOf(registry, 'unknown-branch', 'buildcache')?.digest == mainCacheDigest : 'main\'s cache was overwritten'
def own = manifestOf(registry, 'unknown-branch', 'buildcache-unknown-branch')
assert own != null && own.digest != mainCacheDigest
return true
