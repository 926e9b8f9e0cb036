import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def ref = '127.0.0.1:1/cache-unreachable:buildcache'
assert log.contains("[WARNING] Could not import the cache from ${ref} (") : 'import failure is a warning'
assert log.contains('the build went on without it')
assert log.contains("[WARNING] Could not export the cache to ${ref} (") : 'export failure is a warning'
assert log.contains('connection refused')
assert log.contains('BUILD SUCCESS')

def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.cache.problems.size() == 2
assert result.cache.problems.any { it.startsWith("import ${ref}: ") }
assert result.cache.problems.any { it.startsWith("export ${ref}: ") }
assert result.digest ==~ /sha256:[0-9a-f]{64}/

def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${registry}/cache-unreachable:1.0.0"].execute()
assert inspect.text.trim() == result.digest : 'the image was built and loaded'
return true
