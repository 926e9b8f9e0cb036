evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def expected = new File(basedir, 'docker/Dockerfile').canonicalPath
assert log.contains("Dockerfile not found: ${expected}.") : 'the message names the missing path'
assert log.contains('Set <dockerfile> (or -Dlayercache.dockerfile) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('docker buildx build') && !log.contains('#1 ') : 'nothing was run'
return true
