import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building CI Push By Digest 1\.0\.0/).drop(1)
assert builds.size() == 3 : "expected three builds in build.log, found ${builds.size()}"
def (packaged, again, changed) = builds
def digestOf = { String text -> (text =~ /Built \S+:1\.0\.0 \((sha256:[0-9a-f]{12})\)/)[0][1] }
def pulledOf = { String text -> Double.parseDouble((text =~ /; ([0-9.]+) MB of cached layers pulled/)[0][1]) }
def localImage = { run(['docker', 'image', 'inspect', "${registry}/ci-push-by-digest:1.0.0".toString()]).exit == 0 }
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))

// 1. package in CI: the image went to the registry by digest, untagged, and nothing into Docker.
assert packaged.contains('CI: a CI system (CI is set), so the image goes to the registry by digest at build')
assert packaged =~ /Built \S+:1\.0\.0 \(sha256:[0-9a-f]{12}\) in [0-9.]+ s; 0 of 3 steps cached; [0-9.]+ MB of cached layers pulled; pushed by digest, tags at push;/
assert !packaged.contains('unpacking to') && !packaged.contains('sending tarball') : 'nothing was loaded'
def first = (packaged =~ /exporting manifest (sha256:[0-9a-f]{64})/)[0][1]
assert manifestOf(registry, 'ci-push-by-digest', first) != null : 'the image is in the registry by its digest'

// 2. deploy on a fresh machine with unchanged inputs: the same digest (reproducible), tagged in the
// registry without an upload, and still nothing in Docker.
assert digestOf(again) == digestOf(packaged) : 'an unchanged rebuild gives the same digest'
def pushSection = again.substring(again.indexOf(':push (default)'))
assert !pushSection.contains('The push refers to repository') : 'push ran no docker push: no layer was uploaded'
assert pushSection =~ /Pushed \S+:1\.0\.0 \(${digestOf(packaged)}/

// 3. a one-line change on a fresh machine: the dependency layer stayed in the registry (not downloaded,
// not uploaded), only the changed layer moved, and the tag names the new image at the built digest.
def changedDigest = digestOf(changed)
assert changedDigest != digestOf(packaged)
assert pulledOf(changed) < 0.2 : "only the small layers came down, not the 20 MB one: ${pulledOf(changed)} MB"
def expensive = /#(\d+) \[deps 2\/2\] RUN echo "dependencies for run ${runId}".*/
def id = (changed =~ expensive)[0][1]
assert changed =~ /(?m)^\[INFO\] #${id} CACHED$/ : 'the dependency step came from the registry cache'
assert result.output == 'registry' && result.digest.startsWith(changedDigest)
assert result.pushed.digest == result.digest
assert manifestOf(registry, 'ci-push-by-digest', '1.0.0').digest == result.digest : 'the registry serves the built digest'
assert !localImage() : 'in CI nothing was loaded into Docker'
return true
