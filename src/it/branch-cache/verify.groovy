import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def repository = "${registry}/branch-cache"
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
// Tags from the commit and the branch, as CI announced them.
assert result.tags == ['1.0.0', '0123456789ab', 'feature-login-page']
// The branch reads the main branch's cache and its own, and writes only its own.
assert result.cache.from == ["${repository}:buildcache-feature-login-page", "${repository}:buildcache"]*.toString()
assert result.cache.to == ["${repository}:buildcache-feature-login-page"]*.toString()
assert log.contains("Branch feature/login-page: cache ${repository}:buildcache-feature-login-page, also reading ${repository}:buildcache")
['1.0.0', '0123456789ab', 'feature-login-page'].each { tag ->
    def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${repository}:${tag}"].execute()
    assert inspect.text.trim() == result.digest
}
return true
