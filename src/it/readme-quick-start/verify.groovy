import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def image = "${registry}/readme-quick-start"

// The quick start's POM ran both plugins in the package phase, spring-boot-maven-plugin first.
def repackage = log.indexOf('--- spring-boot:3.5.7:repackage')
def buildGoal = (log =~ /--- layercache:[^:]+:build /).with { it.find() ? it.start() : -1 }
assert repackage >= 0 && buildGoal > repackage : 'spring-boot:repackage ran before layercache:build'
assert new File(basedir, 'target/readme-quick-start-1.0.0.jar').isFile()

// One Built line, as the README explains it: on the load route (not CI), the cache written to the registry.
def built = log.readLines().find { it.contains('[INFO] Built ') }
assert built != null : 'no Built line'
assert built =~ /Built \Q${image}:1.0.0\E \(sha256:[0-9a-f]{12}\) in [0-9.]+ s; \d+ of \d+ steps cached; [0-9.]+ MB of cached layers pulled; cache \Q${image}:buildcache\E(?: \(none yet\))? -> \Q${image}:buildcache\E/
assert !built.contains('pushed by digest')
assert manifestOf(registry, 'readme-quick-start', 'buildcache') != null : 'the cache is in the registry'

// The Java layers of the README's Dockerfile, the main class found by the plugin.
assert log =~ /Java application in build context 'java-app' \(main class com\.example\.orders\.OrdersApplication\)/

// image.json as the README describes it; the image was loaded into Docker, and it runs.
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.output == 'load' && result.digest ==~ /sha256:[0-9a-f]{64}/
assert result.references == ["${image}:1.0.0".toString()]
assert result.fingerprint.tag.startsWith('fingerprint-') && result.fingerprint.reused == false
assert httpAnswerOf("${image}:1.0.0") == 'orders ready'
return true
