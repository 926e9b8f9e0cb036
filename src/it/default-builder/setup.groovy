evaluate(new File(itScripts, 'helpers.groovy'))

// A cold start: no builder of the default name, no cache in the registry.
run(['docker', 'buildx', 'rm', 'layercache'])
deleteFromRegistry(registry, 'default-builder', 'buildcache')
return true
