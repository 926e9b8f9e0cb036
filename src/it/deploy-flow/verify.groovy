import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Deploy Flow 1\.0\.0/).drop(1)
assert builds.size() == 3 : "expected three builds in build.log, found ${builds.size()}"
def (packageOnly, firstDeploy, secondDeploy) = builds

evaluate(new File(itScripts, 'helpers.groovy'))
def registryDigest = { String tag -> manifestOf(registry, 'deploy-flow', tag)?.digest }
def builtDigest = { String text -> (text =~ /Built .+? \(sha256:([0-9a-f]{12})\)/)[0][1] }
def pushedDigest = { String text -> (text =~ /\[INFO\] Pushed \S+:1\.0\.0, \S+:latest \((sha256:[0-9a-f]{64})\)/)[0][1] }

// 1. An invocation that stops before deploy pushes nothing.
assert !packageOnly.contains(':push (default)') : 'the push goal is bound to deploy'
assert registryDigest("package-only-${runId}") == null : 'package must not push'
assert !packageOnly.contains('Pushed ')

// 2. Deploy: the builder is set up, the image built once, its tags pushed at the recorded digest.
assert firstDeploy.contains("Reusing buildx builder 'default' (driver docker, running)")
def firstPushed = pushedDigest(firstDeploy)
assert firstPushed.startsWith("sha256:${builtDigest(firstDeploy)}") : 'push published the digest build recorded'
def pushSection = firstDeploy.substring(firstDeploy.indexOf(':push (default) @ deploy-flow'))
assert !(pushSection =~ /#\d+ \[/) : 'push ran no build step'
assert firstDeploy.contains('Uploading to local-file') : 'the Maven artifact was deployed too'
assert new File(basedir, 'target/deploy-repo/io/github/layercache/it/deploy-flow/1.0.0/deploy-flow-1.0.0.jar').isFile()

// 3. A changed module on a pruned builder: the expensive step comes from the registry cache,
// the changed layer is rebuilt, and the new image is what the tags now point at.
def expensive = /#(\d+) \[deps 2\/2\] RUN echo "resolving dependencies for run ${runId}".*/
def id = (secondDeploy =~ expensive)[0][1]
assert secondDeploy =~ /(?m)^\[INFO\] #${id} CACHED$/ : 'the expensive step came from the registry cache'
assert secondDeploy.contains("importing cache manifest from ${registry}/deploy-flow:buildcache")
def secondPushed = pushedDigest(secondDeploy)
assert secondPushed != firstPushed : 'the changed module was pushed as a new image'

def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.digest == secondPushed
assert result.pushed.digest == secondPushed
assert result.pushed.references == ["${registry}/deploy-flow@${secondPushed}", "${registry}/deploy-flow:1.0.0", "${registry}/deploy-flow:latest"]*.toString()
['1.0.0', 'latest'].each { tag ->
    assert registryDigest(tag) == secondPushed : "${tag} points at the recorded digest"
}
return true
