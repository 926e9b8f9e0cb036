evaluate(new File(itScripts, 'helpers.groovy'))
deleteFromRegistry(registry, 'release-keeps-cache', 'buildcache')
return true
