evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Greeting Service 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds of the service in build.log, found ${builds.size()}"
def (first, bumped) = builds.collect { it.split(/\[INFO\] Reactor Summary/)[0] }
def repository = 'greeting-service'
def pushedDigest = { String text -> (text =~ /\[INFO\] Pushed \S+:1\.0\.0 \((sha256:[0-9a-f]{64})\)/)[0][1] }

// 1. The library module has no image; the service's layout puts the library in reactor-modules and
// Maven Central's jar in dependencies.
assert log.contains('No Dockerfile in ' + new File(basedir, 'greeting-lib').canonicalPath)
assert first =~ /Java application in build context 'java-app' \(main class com\.example\.greeting\.service\.Main\): dependencies 1 files [0-9.]+ kB, snapshot-dependencies 0 files 0 B, reactor-modules 1 files/
def layout = new File(basedir, 'service/target/layercache/java-app')
assert new File(layout, 'reactor-modules/app/libs/greeting-lib-1.0.0.jar').isFile()
assert new File(layout, 'dependencies/app/libs/commons-lang3-3.18.0.jar').isFile()
assert new File(layout, 'launch/app/launch.args').text ==
        '-cp\n/app/resources:/app/classes:/app/libs/greeting-lib-1.0.0.jar:/app/libs/commons-lang3-3.18.0.jar\ncom.example.greeting.service.Main\n'

// 2. Both images run the service with the library from the reactor.
def firstDigest = pushedDigest(first), bumpedDigest = pushedDigest(bumped)
[firstDigest, bumpedDigest].each { digest ->
    // CI pushed by digest without loading: pull first, so that the pull's messages stay out of the output.
    def image = "${registry}/${repository}@${digest}".toString()
    def pull = run(["docker", "pull", "-q", image])
    assert pull.exit == 0 : pull.output
    def out = run(["docker", "run", "--rm", image])
    assert out.exit == 0 && out.output.trim() == 'Hello service from the library' : out.output
}

// 3. The bump re-created the dependencies layer and the class path (launch), and no other layer.
def layers = { String digest -> manifestOf(registry, repository, digest).body.layers*.digest }
def before = layers(firstDigest), after = layers(bumpedDigest)
def changed = (0..<before.size()).findAll { before[it] != after[it] }
def base = before.size() - 6
assert changed == [base, base + 5] : "changed layers ${changed} of ${before.size()} (base layers: ${base})"
return true
