evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("The builder 'default' uses the docker driver on a Docker Engine with the classic image store")
assert error.contains('cannot export a registry cache')
assert error.contains('Build with a docker-container builder: add the buildx-setup goal')
assert error.contains('Set <builder> (or -Dlayercache.builder) in the plugin configuration.')
assert !log.contains('this step must never run') && !log.contains('#1 [internal]') : 'nothing was built'
return true
