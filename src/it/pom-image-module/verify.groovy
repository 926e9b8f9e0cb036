import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
evaluate(new File(itScripts, 'helpers.groovy'))

// The image-only module: built, pushed, recorded.
def built = log =~ /Built \S+\/service-image:1\.0\.0 \(sha256:([0-9a-f]{12})\)/
assert built.size() == 1 : 'service-image was built once'
def result = new JsonSlurper().parse(new File(basedir, 'service-image/target/layercache/image.json'))
assert result.pushed.digest == result.digest
assert manifestOf(registry, 'service-image', '1.0.0')?.digest == result.digest : 'the registry holds the pushed image'

// The parent passes configuration down: nothing built, pushed or recorded for it, and nothing said at info.
assert !(log =~ /Built \S+\/pom-image-module:/)
assert !(log =~ /Pushed \S+\/pom-image-module:/)
assert !new File(basedir, 'target/layercache').exists()
assert manifestOf(registry, 'pom-image-module', '1.0.0') == null
return true
