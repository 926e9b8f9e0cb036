evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains("Invalid platform 'linux': write os/arch[/variant], e.g. linux/amd64 or linux/arm64.") : 'the message names the platform and the form to use'
assert error.contains('Set <platforms> (or -Dlayercache.platforms) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
