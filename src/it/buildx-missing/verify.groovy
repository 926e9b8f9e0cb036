evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
def docker = new File(basedir, 'fake-docker.sh').absolutePath
assert error.contains("The docker buildx plugin is not installed for '${docker}'.") : 'the message says buildx is missing, for which CLI'
assert error.contains('Install it (Debian: docker-buildx, Docker\'s packages: docker-buildx-plugin).') : 'the message says what to install'
assert !log.contains('#1 [internal]') : 'nothing was built'
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'
return true
