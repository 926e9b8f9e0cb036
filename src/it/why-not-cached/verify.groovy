import groovy.json.JsonSlurper
import java.util.regex.Pattern
import java.util.zip.GZIPInputStream

evaluate(new File(itScripts, 'helpers.groovy'))

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Why Not Cached 1\.0\.0/).drop(1)
def changes = ['none', 'source', 'mode', 'dockerfile', 'dockerignore', 'base', 'argument', 'early-argument', 'nothing']
assert builds.size() == changes.size() : "expected ${changes.size()} builds in build.log, found ${builds.size()}"
def build = [changes, builds.toList()].transpose().collectEntries()

/** The lines that explain a step, without the log level. */
def misses = { String text -> text.readLines().findAll { it ==~ /\[INFO\]   \[.*\] .*: not cached: .*/ }.collect { it.substring(9) } }
def results = { String change -> new JsonSlurper().parse(new File(basedir, "results/${change}.json")) }
def movingBase = "${registry}/why-not-cached-base:moving-${runId}"
def steps = ['[2/7] COPY gradlew /work/gradlew', '[3/7] RUN ls -l /work/gradlew > /work/deps.txt', '[4/7] COPY src/ /work/src/',
        '[5/7] RUN cat /work/src/*.txt > /work/app.txt', '[6/7] RUN echo "flavour plain" > /flavour.txt', '[7/7] COPY . /context/']
/** "; so n steps after it ran too (…)" for the steps after the one at index i of a step list. */
def after = { List<String> list, int i ->
    def rest = list.drop(i + 1)
    "; so ${rest.size() == 1 ? '1 step' : rest.size() + ' steps'} after it ran too (${rest.join(', ')})"
}

/**
 * The build named its change in exactly this line; any other line is a step BuildKit ran although its
 * inputs had not changed (its registry cache does not always hold every step): none blames an input.
 */
def unchanged = ': not cached: its inputs are the ones recorded with the cache, but the cache does not hold this step'
def named = { String text, String line ->
    def found = misses(text)
    assert found.contains(line)
    assert found.findAll { it != line }.every { it.contains(unchanged) } : "only the change is blamed: ${found}"
    true
}

// Every build started on a new machine: a pruned builder, and no target/ (each ran mvn clean).
builds.each { assert it.contains('(prune)') && it.contains('clean:') }

// 1. The first build: nothing to compare with.
assert misses(build.none) == [steps[0] + ': not cached: no cache to compare with (first build on this branch)' + after(steps, 0)]

// 2. A source file: named at its COPY; the steps before it are not blamed, those after it are listed under it.
assert named(build.source, steps[2] + ': not cached: src/Util.txt changed' + after(steps, 2))
assert results('source').why.misses.contains([step: steps[2], cause: 'src/Util.txt changed', after: steps.drop(3)])
assert results('source').why.comparedWith == "${registry}/why-not-cached:buildcache"

// 3. A file mode.
assert named(build.mode, steps[0] + ': not cached: mode of gradlew 0644 -> 0755' + after(steps, 0))
assert results('mode').why.misses*.cause.contains('mode of gradlew 0644 -> 0755')

// 4. A Dockerfile line.
def edited = steps.collect { it.replace('cat /work/src/*.txt >', 'cat /work/src/*.txt | sort >') }
assert named(build.dockerfile, edited[3] + ': not cached: Dockerfile line 7 changed (it was: RUN cat /work/src/*.txt >'
        + ' /work/app.txt)' + after(edited, 3))

// 5. The .dockerignore removed: the files it kept out arrive, and the missing file is named once.
assert named(build.dockerignore, edited[5] + ': not cached: 2 files added (Dockerfile, notes/todo.txt)')
assert build.dockerignore.count('Hint: The context has no .dockerignore') == 1
assert results('dockerignore').why.hints.size() == 1

// 6. The base image moved behind its tag: named with the digest the registry now serves.
def moved = manifestOf(registry, 'why-not-cached-base', "moving-${runId}").digest
assert misses(build.base).size() == 1 : 'the base image is the first input of every step'
assert misses(build.base)[0] ==~ (Pattern.quote(edited[0] + ': not cached: base image ' + movingBase + ' moved to '
        + moved.substring(0, 19) + ' (it was sha256:') + /[0-9a-f]{12}\)/ + Pattern.quote(after(edited, 0)))

// 7. A build argument the step uses: named there; the step after it is listed, not blamed.
def spicy = edited.collect { it.replace('flavour plain', 'flavour spicy') }
assert named(build.argument, spicy[4] + ': not cached: build argument FLAVOUR changed' + after(spicy, 4))
assert results('argument').why.misses*.cause.contains('build argument FLAVOUR changed')
assert results('argument').why.hints == []

// 8. A build argument declared early: the first RUN sees it without using it; that is named, with the fix.
assert named(build['early-argument'], spicy[1] + ': not cached: build argument BUILD_NUMBER changed (the step does not use'
        + ' it, but sees every ARG declared above it in its stage)' + after(spicy, 1))
assert build['early-argument'].contains('Hint: A RUN step sees every ARG its stage declared before it')

// 9. Nothing changed: nothing blamed; when every step was cached, nothing explained at all.
assert misses(build.nothing).every { it.contains(unchanged) }
if (build.nothing.contains('6 of 6 steps cached')) {
    assert !build.nothing.contains('Why steps ran')
    assert results('nothing').why == null
}

// The fingerprint was on in some builds and off in others; the answers did not depend on it.
assert results('source').fingerprint != null && results('argument').fingerprint == null

// The record beside the cache in the registry: an OCI artifact of hashes, never the values.
def record = manifestOf(registry, 'why-not-cached', 'buildcache.inputs')
assert record != null : 'the inputs are recorded beside the cache'
assert record.body.artifactType == 'application/vnd.layercache.inputs.v1'
def blob = blobOf(registry, 'why-not-cached', record.body.layers[0].digest)
def json = new GZIPInputStream(new ByteArrayInputStream(blob)).text
def inputs = new JsonSlurper().parseText(json)
assert inputs.format == 'layercache-inputs 1'
assert inputs.files['gradlew'].mode == '0755'
assert inputs.files['src/Util.txt'].sha256 ==~ /[0-9a-f]{64}/
assert inputs.files.containsKey('notes/todo.txt')
assert inputs.args.FLAVOUR ==~ /[0-9a-f]{32}/
assert !json.contains('spicy') && !json.contains('util, changed') : 'only hashes, never values or contents'
// The base images, resolved by BuildKit during the build, are the manifest's annotation: the layer went ahead.
def baseImages = new JsonSlurper().parseText(record.body.annotations['io.github.layercache.inputs.base-images'])
assert baseImages[''] == "${movingBase}@${moved}"
assert inputs.baseImages.isEmpty()
return true
