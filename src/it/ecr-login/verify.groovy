import groovy.json.JsonSlurper

def sampler = System.properties.remove('layercache.it.ecr-login.sampler')
sampler.stop.set(true)
def log = new File(basedir, 'build.log').text
def slurper = new JsonSlurper()
evaluate(new File(itScripts, 'helpers.groovy'))
def password = new File(envDir, 'secrets/AWS.password').text.trim()
def token = "AWS:${password}".bytes.encodeBase64().toString()

assert log.contains('BUILD SUCCESS')

// One token request for the whole build, although two modules built and pushed in parallel.
def calls = slurper.parse(new URL("${ecrEndpoint}/__calls"))
assert calls.GetAuthorizationToken == 1 : "expected one token request, the emulator saw ${calls.GetAuthorizationToken}"
assert calls.accessKeys.every { it == 'AKIDLAYERCACHETEST01' }

// The repositories were created with their settings and lifecycle policy.
def repositories = slurper.parse(new URL("${ecrEndpoint}/__repositories"))
['service-a', 'service-b'].each { name ->
    assert repositories[name] : "repository ${name} was created"
    assert repositories[name].scanOnPush == true
    assert repositories[name].imageTagMutability == 'MUTABLE'
    assert repositories[name].lifecyclePolicyText.contains('"tagPatternList":["buildcache-*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30')
    assert repositories[name].lifecyclePolicyText.contains('"tagPatternList":["fingerprint-*"]')
    assert !repositories[name].lifecyclePolicyText.contains('"tagStatus":"any"')
    assert repositories[name].lifecyclePolicyText.contains('"tagStatus":"untagged"')
    assert log.contains("[${name}] Created the ECR repository ${name} in ${authRegistry}")
}

// Both images are in the authenticated registry, at the digests the build recorded and pushed.
['service-a', 'service-b'].each { name ->
    def result = slurper.parse(new File(basedir, "${name}/target/layercache/image.json"))
    def image = manifestOf(authRegistry, name, '1.0.0', "Basic ${token}")
    assert image != null
    assert image.digest == result.pushed.digest
    assert result.digest == result.pushed.digest
}

// No secret in the log (debug logging was on), on a command line, or left on disk.
assert !log.contains(token) && !log.contains(password) : 'the ECR token reached the build log'
assert sampler.hits.isEmpty() : "processes had the token on their command line: ${sampler.hits}"
assert sampler.dockerSeen.get() > 0 : "the sampler saw no docker process in ${sampler.samples.get()} samples"
assert new File(basedir, 'user-docker/config.json').text == '{}\n' : "the user's docker config was changed"
def home = new File(System.getProperty('user.home'), '.docker/config.json')
def before = new File(basedir, 'home-docker-config.before').bytes
assert (home.exists() ? home.bytes : 'absent'.bytes) == before : '~/.docker/config.json was changed'
def leftovers = new File(System.getProperty('java.io.tmpdir')).list().findAll { it.startsWith('layercache-docker-config-') }
assert leftovers.isEmpty() : "private docker configs left behind: ${leftovers}"
// The modules built through one docker-container builder, created once from the BuildKit image that
// was pulled from the ECR-like registry with the ECR login.
assert (log =~ /Created buildx builder 'lc-it-ecr'/).size() == 1 : 'the builder was created once'
assert log.contains("pulling image ${authRegistry}/moby/buildkit:buildx-stable-1") : 'the BuildKit image was pulled'
assert !(log =~ /Reusing buildx builder 'lc-it-ecr' \(driver docker[,)]/) : 'no module used the docker driver'
return true
