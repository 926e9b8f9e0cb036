import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Default Builder 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (cold, fresh) = builds
def pushedDigest = { String text -> (text =~ /\[INFO\] Pushed \S+:1\.0\.0 \((sha256:[0-9a-f]{64})\)/)[0][1] }
def builtDigest = { String text -> (text =~ /Built \S+:1\.0\.0 \((sha256:[0-9a-f]{12})\)/)[0][1] }
def expensive = /#(\d+) \[deps 2\/2\] RUN echo "resolving dependencies for run ${runId}".*/

// 1. Cold: buildx-setup created the docker-container builder from the local BuildKit image, and
// every step ran in it; the cache went to the registry in the form ECR accepts.
assert cold.contains("Created buildx builder 'layercache'")
assert cold.contains('Creating buildx builder \'layercache\' (driver docker-container)')
def coldId = (cold =~ expensive)[0][1]
assert !(cold =~ /(?m)^\[INFO\] #${coldId} CACHED$/) : 'the cold build ran the expensive step'
def cache = manifestOf(registry, 'default-builder', 'buildcache')
assert cache != null && cache.body.mediaType == 'application/vnd.oci.image.manifest.v1+json'
assert cache.body.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'
def coldPushed = pushedDigest(cold)
assert coldPushed.startsWith(builtDigest(cold)) : 'the pushed digest is the one build recorded'

// 2. A changed module on a fresh machine: the same builder, its own cache empty; the expensive step
// came from the registry cache, and the tag now names the new image at the digest build recorded.
assert fresh.contains("Reusing buildx builder 'layercache' (driver docker-container, running)")
def freshId = (fresh =~ expensive)[0][1]
assert fresh =~ /(?m)^\[INFO\] #${freshId} CACHED$/ : 'the expensive step came from the registry cache'
assert fresh.contains("importing cache manifest from ${registry}/default-builder:buildcache")
def freshPushed = pushedDigest(fresh)
assert freshPushed != coldPushed
assert freshPushed.startsWith(builtDigest(fresh))
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.digest == freshPushed && result.pushed.digest == freshPushed
assert manifestOf(registry, 'default-builder', '1.0.0').digest == freshPushed : 'the registry serves the recorded digest'
return true
