evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def message = log.substring(failure).readLines()[0]
def entry = "type=registry,ref=${registry}/x:buildcache,colour=blue"
assert message.contains("Unknown parameter 'colour' for the registry cache in '${entry}': ") : 'the message names the parameter and the entry'
assert message.contains(': it takes compression, compression-level, force-compression, ignore-error, image-manifest, mode, oci-mediatypes, ref.') : 'the message lists the parameters the registry cache takes'
assert message.contains('Set <cacheFrom> in the plugin configuration.') : 'the message names the parameter to set'
assert !message.contains('-D') : "<cacheFrom> has no -D property, so the message offers none: ${message}"
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
