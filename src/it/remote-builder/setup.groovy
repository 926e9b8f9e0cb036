evaluate(new File(itScripts, 'helpers.groovy'))

// The builder is created in this run; no cache of these images is in the registry yet.
run(['docker', 'buildx', 'rm', 'lc-it-remote'])
['remote-service-a', 'remote-service-b'].each { deleteFromRegistry(registry, it, 'buildcache') }
return true
