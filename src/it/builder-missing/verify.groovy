evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains("The buildx builder 'lc-it-missing-builder' does not exist.") : 'the message names the missing builder'
assert error.contains('Create it (the buildx-setup goal, or docker buildx create --name lc-it-missing-builder), or name an existing one. Set <builder> (or -Dlayercache.builder) in the plugin configuration.') : 'the message says how to create it or what to set instead'
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'
return true
