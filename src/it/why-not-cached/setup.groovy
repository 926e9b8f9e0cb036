evaluate(new File(itScripts, 'helpers.groovy'))

// A first build: no cache, no record, a builder created afresh.
run(['docker', 'buildx', 'rm', 'lc-it-why'])
['buildcache', 'buildcache.inputs'].each { deleteFromRegistry(registry, 'why-not-cached', it) }
return true
