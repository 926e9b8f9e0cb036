evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains("Cannot run '/nonexistent/docker': ") : 'the message names the docker CLI that cannot be run'
assert error.contains('No such file or directory') : 'the message says why it cannot be run'
assert error.contains('Install the Docker CLI with the buildx plugin, or point the plugin at it.')
assert error.contains('Set <dockerExecutable> (or -Dlayercache.docker) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('#1 [internal]') : 'nothing was built'
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'
return true
