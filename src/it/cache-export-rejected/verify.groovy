import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def ref = "${authRegistryAlias}/cache-export-rejected:buildcache"
assert log.contains("[WARNING] Could not import the cache from ${ref} (") : 'a refused import is a warning naming the cache'
assert log.contains('the build went on without it')
assert log.contains("[WARNING] Could not export the cache to ${ref} (") : 'a refused export is a warning naming the cache'
assert log.contains('the image was built, but the next build cannot reuse its layers.')
def warnings = log.readLines().findAll { it.startsWith('[WARNING] Could not ') }
assert warnings.every { it.contains('401 Unauthorized') } : "the warnings say the registry refused: ${warnings}"
assert log.contains('BUILD SUCCESS')

def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.cache.problems.size() == 2 : "${result.cache.problems}"
assert result.cache.problems.any { it.startsWith("import ${ref}: ") }
assert result.cache.problems.any { it.startsWith("export ${ref}: ") }
assert result.digest ==~ /sha256:[0-9a-f]{64}/

def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${registry}/cache-export-rejected:1.0.0"].execute()
assert inspect.text.trim() == result.digest : 'the image was built and loaded'
return true
