evaluate(new File(itScripts, 'helpers.groovy'))

run(['docker', 'buildx', 'rm', 'lc-it-digest'])
['buildcache', '1.0.0'].each { deleteFromRegistry(registry, 'ci-push-by-digest', it) }
run(['docker', 'image', 'rm', '-f', "${registry}/ci-push-by-digest:1.0.0".toString()])
return true
