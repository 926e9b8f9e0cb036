evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Java Layers Spring Boot 1\.0\.0/).drop(1)
assert builds.size() == 4 : "expected four builds in build.log, found ${builds.size()}"
def (cold, changed, rebuilt, dockerDriver) = builds
def pushedDigest = { String text -> (text =~ /\[INFO\] Pushed \S+:1\.0\.0 \((sha256:[0-9a-f]{64})\)/)[0][1] }
def repository = 'java-layers-spring-boot'
def image = "${registry}/${repository}"

// 1. The plugin laid the application out in the java-app context and found the main class itself.
[cold, changed, rebuilt, dockerDriver].each { build ->
    assert build =~ /Java application in build context 'java-app' \(main class com\.example\.greeting\.Application\): dependencies \d+ files [0-9.]+ MB/
    assert build.contains('[context java-app] load from client') : 'BuildKit did not receive the java-app context'
}

// 2. Each image runs, as java @/app/launch.args with no fat-jar launcher, and serves the code it was built from.
def first = pushedDigest(cold), second = pushedDigest(changed), third = pushedDigest(rebuilt), fourth = pushedDigest(dockerDriver)
assert httpAnswerOf("${image}@${first}") == 'hello v1'
assert httpAnswerOf("${image}@${second}") == 'hello v2'
assert httpAnswerOf("${image}@${fourth}") == 'hello v2' : 'the docker driver built the same application'

// 3. The one-line change re-created one layer, the classes, and that blob holds only class files.
def layersOf = { String digest -> manifestOf(registry, repository, digest).body.layers }
def coldLayers = layersOf(first), changedLayers = layersOf(second), rebuiltLayers = layersOf(third)
assert coldLayers.size() == changedLayers.size()
def differing = (0..<coldLayers.size()).findAll { coldLayers[it].digest != changedLayers[it].digest }
assert differing.size() == 1 : "layers that changed: ${differing}"
def classesLayer = changedLayers[differing[0]]
def entries = layerEntries(blobOf(registry, repository, classesLayer.digest))
def files = entries.findAll { it.type == 'file' }
assert !files.isEmpty() && files.every { it.name.startsWith('app/classes/') && it.name.endsWith('.class') } : "classes layer: ${files*.name}"
assert entries.every { it.time.startsWith('1970-01-01 00:00:01') && it.owner == '0/0' } : "times and owners: ${entries}"
assert files.every { it.mode == '-rw-r--r--' } && entries.findAll { it.type == 'dir' }.every { it.mode == 'drwxr-xr-x' }
def dependencies = changedLayers[differing[0] - 4]
assert dependencies.size > 10_000_000 : "the dependencies layer holds the Spring Boot jars: ${dependencies.size} bytes"
assert classesLayer.size < 20_000 : "a one-line change uploads a few kB of image layers, not the fat jar: ${classesLayer.size} bytes"
println "one-line change: image blob bytes of the changed layer ${classesLayer.size} (dependencies layer ${dependencies.size}, unchanged)"

// 4. Reproducible: the same commit built again from scratch (clean, a new builder, no cache) gives the
// same digest for every layer, and (one SOURCE_DATE_EPOCH for every build) the same image digest.
// (Another BuildKit, such as the docker driver's on today's Docker, compresses the same files differently.)
assert rebuilt.contains("Created buildx builder 'lc-it-java-layers'")
assert rebuilt =~ /Built \S+:1\.0\.0 \(sha256:[0-9a-f]{12}\) in [0-9.]+ s; 0 of 6 steps cached/ : 'the rebuild ran every step'
assert rebuiltLayers*.digest == changedLayers*.digest : 'the layers of a rebuild from scratch differ'
assert third == second : 'a rebuild from scratch gives the same image digest'
return true
