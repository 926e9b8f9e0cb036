evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains('The cache is off (cache=false) but strict (cacheStrict=true): turn one of them off.') : 'the message names both switches and says what to do'
assert error.contains('Set <cacheStrict> (or -Dlayercache.cache.strict) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
