evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text

assert !log.contains('no image for this module') : 'a module that names its context is never skipped for having no Dockerfile'

// A context inside the project without a Dockerfile: the path looked at, and what to set.
def missing = new File(basedir, 'named-context/docker/Dockerfile').canonicalPath
assert log.contains("Dockerfile not found: ${missing}: the build context (<contextDirectory>) holds no Dockerfile."
        + ' Set <dockerfile> (or -Dlayercache.dockerfile) in the plugin configuration.')

// A context outside the project: that error comes first.
assert log =~ /The build context \/etc is outside the project \([^)]+\): BuildKit would receive files that are not part of it\./
assert !log.contains('Dockerfile not found: /etc/Dockerfile')

// Both modules failed, before anything ran.
assert log =~ /named-context \.+ FAILURE/
assert log =~ /outside-context \.+ FAILURE/
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
