evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains("Invalid image repository '${registry}/Bad_Name': ") : 'the message names the invalid repository'
assert error.contains('path components must be lowercase letters, digits and single separators (., _, -)') : 'the message says what a valid name is'
assert error.contains('Set <image> (or -Dlayercache.image) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
