import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def warning = log.readLines().find { it.startsWith('[WARNING] Build argument NPM_TOKEN') }
assert warning : 'the secret-like build argument is warned about'
assert warning.contains('[WARNING] Build argument NPM_TOKEN looks like a secret.') : 'the warning names the argument'
assert warning.contains('Build arguments are kept in the image history') : 'the warning says why it matters'
assert warning.contains('pass it as a build secret (<secrets>, RUN --mount=type=secret) instead.') : 'the warning says what to use instead'
assert !log.readLines().any { it.startsWith('[WARNING] Build argument BASE_IMAGE') } : 'only secret-like names are warned about'
assert log.contains('BUILD SUCCESS') : 'a warning does not fail the build'

def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
def inspect = ['docker', 'image', 'inspect', '--format', '{{.Id}}', "${registry}/secret-like-build-arg:1.0.0"].execute()
assert inspect.text.trim() == result.digest : 'the image was built and loaded'

// The value is masked wherever the plugin shows the command line: the result file and the -X log.
assert result.command.contains('NPM_TOKEN=****') : "the result file masks the value: ${result.command}"
assert result.command.any { it ==~ /BASE_IMAGE=127\.0\.0\.1:\d+\/base:1/ } : 'other build arguments are shown as they are'
assert !new File(basedir, 'target/layercache/image.json').text.contains('not-a-real-token')
def running = log.readLines().find { it.contains('[DEBUG] Running ') && it.contains(' buildx build ') }
assert running : 'the -X log shows the buildx command line'
assert running.contains('--build-arg NPM_TOKEN=****') && !running.contains('not-a-real-token')
return true
