evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
assert log =~ /Could not (import the cache from|export the cache to) 127\.0\.0\.1:1\/cache-strict:buildcache/
assert log.contains('Failing because the cache is strict. Set <cacheStrict> (or -Dlayercache.cache.strict) in the plugin configuration.')
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'
return true
