evaluate(new File(itScripts, 'helpers.groovy'))
deleteFromRegistry(registry, 'greeting-service', 'buildcache')
return true
