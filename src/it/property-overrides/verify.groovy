import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
// The repository is derived from the registry and the artifactId, made a valid image name.
def repository = "${registry}/team/property_overrides"
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.image == repository
assert result.tags == ["ci-${runId}".toString(), 'latest']
assert result.cache.from == [] && result.cache.to == []
assert !log.contains('importing cache manifest') && !log.contains('exporting cache') : 'the cache is off'
assert log.contains('; cache off')
['ci-' + runId, 'latest'].each { tag ->
    def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${repository}:${tag}"].execute()
    assert inspect.text.trim() == result.digest : "${repository}:${tag} is the built image"
}
return true
