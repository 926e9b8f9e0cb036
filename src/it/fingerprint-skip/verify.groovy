import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Fingerprint Skip 1\.0\.0/).drop(1)
assert builds.size() == 5 : "expected five builds in build.log, found ${builds.size()}"
def (first, sameInputs, ignoredChange, includedChange, switchedOff) = builds
def repository = "${registry}/fingerprint-skip"
evaluate(new File(itScripts, 'helpers.groovy'))
def registryDigest = { String tag -> manifestOf(registry, 'fingerprint-skip', tag)?.digest }
// The image a fingerprint mark points at: the mark is an artifact of its own, the image carries no fingerprint tag.
def markedDigest = { String tag ->
    def mark = manifestOf(registry, 'fingerprint-skip', tag)
    assert mark.body.artifactType == 'application/vnd.layercache.fingerprint.v1' : "${tag} is not a fingerprint mark"
    assert mark.body.annotations['io.github.layercache.fingerprint'].startsWith(tag.substring('fingerprint-'.length()))
    mark.body.subject.digest
}
def ranBuildx = { String text -> text.contains('#1 [internal] load build definition') }
def fingerprintTag = { String text -> (text =~ /(fingerprint-[0-9a-f]{48})/)[0][1] }
def pushed = { String text -> (text =~ /\[INFO\] Pushed \S+:1\.0\.0\S* \((sha256:[0-9a-f]{64})\)/)[0][1] }

// 1. Built, and the registry got the fingerprint mark, pointing at the image.
assert first.contains('No image with these inputs in the registry yet (fingerprint-')
assert ranBuildx(first)
def firstDigest = pushed(first)
def tag = fingerprintTag(first)
assert markedDigest(tag) == firstDigest
assert registryDigest(tag) != firstDigest : 'the image itself carries no fingerprint tag' 

// 2. Same inputs (the build number is volatile): no buildx build, the new tag added in the registry.
assert !ranBuildx(sameInputs) : 'an unchanged module was built again'
assert sameInputs.contains("[INFO] Reused ${repository}:${tag} (${firstDigest.substring(0, 19)}) for ${repository}:1.0.0, ${repository}:second")
assert sameInputs.contains('the registry has an image built from the same inputs, so nothing was built')
assert registryDigest('second') == firstDigest

// 3. A change to an ignored file: still the same inputs.
assert !ranBuildx(ignoredChange)
assert ignoredChange.contains("[INFO] Reused ${repository}:${tag} ")

// 4. One byte in an included file: built again, with a new fingerprint and a new image.
assert ranBuildx(includedChange) : 'a changed input must rebuild'
def changedTag = fingerprintTag(includedChange)
assert changedTag != tag
def changedDigest = pushed(includedChange)
assert changedDigest != firstDigest
assert markedDigest(changedTag) == changedDigest

// 5. -Dlayercache.fingerprint=false: built, no fingerprint at all.
assert ranBuildx(switchedOff)
assert !(switchedOff =~ /fingerprint-[0-9a-f]{48}/) : 'no fingerprint mark without the fingerprint'
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
// The build number reaches the build (so it really differed in the second build, which was still skipped).
def label = ['docker', 'image', 'inspect', '--format', '{{index .Config.Labels "build.number"}}', "${repository}:1.0.0"].execute().text.trim()
assert label == '5'
assert result.fingerprint == null
assert result.pushed.references == ["${repository}@${result.pushed.digest}", "${repository}:1.0.0"]*.toString()
assert registryDigest('1.0.0') == pushed(switchedOff) : 'the last push moved 1.0.0'
assert markedDigest(tag) == firstDigest && markedDigest(changedTag) == changedDigest : 'fingerprint marks stay with their inputs' 
return true
