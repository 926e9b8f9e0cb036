evaluate(new File(itScripts, 'helpers.groovy'))

// A cold start: no builder of this project's name, no cache in the registry.
run(['docker', 'buildx', 'rm', 'lc-it-java-layers'])
deleteFromRegistry(registry, 'java-layers-spring-boot', 'buildcache')
return true
