import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def password = new File(envDir, 'secrets/maven.password').text.trim()
def auth = "maven:${password}".bytes.encodeBase64().toString()
assert log.contains('BUILD SUCCESS')
assert log.contains("Credentials for ${authRegistry} from the settings.xml server ${authRegistry}")
// Maven itself prints its environment at -X ("[DEBUG] env.NAME: value"), where the test put the password.
def pluginOutput = log.readLines().findAll { !it.startsWith('[DEBUG] env.') }.join('\n')
assert !pluginOutput.contains(password) && !pluginOutput.contains(auth) : 'the password reached the log'

def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
evaluate(new File(itScripts, 'helpers.groovy'))
def image = manifestOf(authRegistry, 'registry-server-credentials', '1.0.0', "Basic ${auth}")
assert image != null
assert image.digest == result.pushed.digest
assert result.cache.problems == [] : 'the cache in the authenticated registry was read and written'

assert new File(basedir, 'user-docker/config.json').text == '{}\n'
def leftovers = new File(System.getProperty('java.io.tmpdir')).list().findAll { it.startsWith('layercache-docker-config-') }
assert leftovers.isEmpty() : "private docker configs left behind: ${leftovers}"
return true
