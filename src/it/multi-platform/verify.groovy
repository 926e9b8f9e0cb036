import groovy.json.JsonSlurper
import java.util.zip.GZIPInputStream

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Multi Platform 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (cold, warm) = builds

/** The files of a layer blob, by name, with their content. */
def layerFiles = { String digest ->
    def blob = new URL("http://${registry}/v2/multi-platform/blobs/${digest}").openStream()
    def tar = new GZIPInputStream(blob).bytes
    def files = [:]
    for (int at = 0; at + 512 <= tar.length; ) {
        def name = new String(tar, at, 100, 'UTF-8').replace('\u0000', '')
        if (name.isEmpty()) {
            break
        }
        def size = Long.parseLong(new String(tar, at + 124, 11, 'UTF-8').trim() ?: '0', 8) as int
        files[name] = new String(tar, at + 512, size, 'UTF-8')
        at += 512 + ((size + 511).intdiv(512)) * 512
    }
    files
}

// The deploy published an image index with both platforms, at the digest the build recorded.
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
def index = manifestOf(registry, 'multi-platform', '1.0.0')
assert index.body.mediaType == 'application/vnd.oci.image.index.v1+json' : index.body.mediaType
assert index.digest == result.digest && result.pushed.digest == result.digest
assert result.output == 'registry' : 'in CI the index went to the registry by digest'
// (the plugin passes --provenance=false unless <provenance> says otherwise, so no attestation manifest is
// expected; the filter keeps the platform check meaningful for a project that turns provenance on)
def images = index.body.manifests.findAll { it.annotations?.get('vnd.docker.reference.type') != 'attestation-manifest' }
def platforms = images.collectEntries { ["${it.platform.os}/${it.platform.architecture}".toString(), it.digest] }
assert platforms.keySet() == ['linux/amd64', 'linux/arm64'] as Set

// Each platform's RUN step ran as that platform: the image records what uname -m said.
['linux/amd64': 'x86_64', 'linux/arm64': 'aarch64'].each { platform, machine ->
    def manifest = manifestOf(registry, 'multi-platform', platforms[platform])
    def files = layerFiles(manifest.body.layers.last().digest)
    assert files['arch']?.trim() == machine : "${platform}: /arch is ${files['arch']}"
    assert files['run-id']?.trim() == "run ${runId}".toString()
}

// The cache of both platforms went to the registry. After the prune no RUN step ran again: BuildKit took
// each platform's layer from that cache, so the pushed layers are the cold build's, as the cache
// manifest lists them.
def cache = manifestOf(registry, 'multi-platform', 'buildcache')
assert cache?.body?.config?.mediaType == 'application/vnd.buildkit.cacheconfig.v0'
def cachedLayers = cache.body.layers*.digest as Set
['linux/amd64': 'x86_64', 'linux/arm64': 'aarch64'].each { platform, machine ->
    def step = /#(\d+) \[${platform} 2\/2\] RUN echo "run ${runId}".*/
    def coldId = (cold =~ step)[0][1]
    assert cold =~ /(?m)^\[INFO\] #${coldId} \d+\.\d+ ${machine}$/ : "${platform} ran cold and printed ${machine}"
    def warmId = (warm =~ step)[0][1]
    assert !(warm =~ /(?m)^\[INFO\] #${warmId} \d+\.\d+ /) : "${platform}: the step ran again after the prune"
    def layer = manifestOf(registry, 'multi-platform', platforms[platform]).body.layers.last().digest
    assert cachedLayers.contains(layer) : "${platform}: the pushed RUN layer ${layer} is not the cached one"
}
return true
