evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains('The Docker daemon is not running or not reachable (') : 'the message says the daemon cannot be reached'
assert error.contains('unix:///nonexistent/docker.sock') : 'the message names the address that was tried'
assert error.contains('). Start Docker, or set DOCKER_HOST.') : 'the message says what to do'
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'
return true
