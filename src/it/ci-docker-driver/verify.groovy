import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert (log =~ /The builder 'default' uses the docker driver, which cannot push by digest/).size() == 1 : 'said once'
assert log.contains('A docker-container builder (the buildx-setup goal) pushes straight from BuildKit')
assert !log.contains('pushed by digest, tags at push')
assert log.contains('The push refers to repository') : 'push ran docker push'
def result = new JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.output == 'load'
assert result.pushed.digest == result.digest
assert manifestOf(registry, 'ci-docker-driver', '1.0.0').digest == result.digest
assert run(['docker', 'image', 'inspect', "${registry}/ci-docker-driver:1.0.0".toString()]).exit == 0 : 'the image was loaded'
return true
