evaluate(new File(itScripts, 'helpers.groovy'))

// CodeBuild never sets CI: neither may this build's environment (test.sh removes it for every project).
assert System.getenv('CI') == null : 'CI is set in the environment of the tests; test.sh removes it'

// The README's parent POM, as the README shows it, with this machine's additions to the plugin's configuration.
def readme = new File(itScripts, '../../../README.md').text
def section = readme.substring(readme.indexOf('## A parent POM for many services'))
def block = section.substring(section.indexOf('```xml\n') + 7, section.indexOf('\n```', section.indexOf('```xml\n')))
assert block.startsWith('<build>') && block.endsWith('</build>') : 'the README parent POM is a <build> block'
// The README's buildspec runs the Maven command of this project's first invocation.
def codebuild = readme.substring(readme.indexOf('## AWS CodeBuild'))
def yamlStart = codebuild.indexOf('```yaml\n') + 8
def commands = codebuild.substring(yamlStart, codebuild.indexOf('\n```', yamlStart)).readLines()*.trim()
        .findAll { it.startsWith('- mvn ') }
def invocations = new Properties()
new File(basedir, 'invoker.properties').withInputStream { invocations.load(it) }
assert commands == ['- mvn -B ' + invocations.getProperty('invoker.goals.1')] : "the README buildspec runs ${commands}"
def environment = new Properties()
new File(envDir, 'env.properties').withInputStream { environment.load(it) }
def additions = new File(basedir, 'it-configuration.xml').text
        .replace('@buildkitdConfig@', environment.getProperty('buildkitd.config'))
        .replace('@authBaseImage@', environment.getProperty('base.image.auth'))
        .replace('@runId@', runId)
def template = new File(basedir, 'pom.xml').text
def version = (template =~ /<it\.plugin\.version>([^<]+)</)[0][1]
def build = block
        .replaceFirst(/(<artifactId>layercache-maven-plugin<\/artifactId>\s*<version>)[^<]*(<\/version>)/, "\$1${java.util.regex.Matcher.quoteReplacement(version)}\$2")
        .replaceFirst(/<configuration>\n/, java.util.regex.Matcher.quoteReplacement("<configuration>\n" + additions))
new File(basedir, 'pom.xml').text = template.replace('  <build/>', build.readLines().collect { '  ' + it }.join('\n'))

resetEcrEmulator()
// A cache left by an earlier run would hide a build that exports nothing.
deleteFromAuthRegistry('orders-service', 'buildcache')

// The BuildKit image where the README's parent POM expects it: <ECR registry>/mirror/moby-buildkit.
def mirror = "${authRegistry}/mirror/moby-buildkit:buildx-stable-1".toString()
if (manifestOf(authRegistry, 'mirror/moby-buildkit', 'buildx-stable-1', authRegistryAuth()) == null) {
    def config = java.nio.file.Files.createTempDirectory('lc-it-push')
    try {
        new File(config.toFile(), 'config.json').text =
                "{\"auths\": {\"${authRegistry}\": {\"auth\": \"${authRegistryAuth().substring(6)}\"}}}"
        def source = environment.getProperty('buildkit.image')
        assert run(['docker', 'pull', '-q', source]).exit == 0 : "cannot pull ${source}"
        assert run(['docker', 'tag', source, mirror]).exit == 0
        def push = run(['docker', 'push', '-q', mirror], [DOCKER_CONFIG: config.toString()])
        assert push.exit == 0 : "cannot push ${mirror}: ${push.output}"
    } finally {
        config.toFile().deleteDir()
    }
}
// The builder is created in this run (its buildx state is this project's own, so an earlier run's
// container on that daemon is removed too), and the classic daemon pulls the image with the ECR login.
run(['docker', 'rm', '-f', '-v', 'buildx_buildkit_layercache0'], [DOCKER_HOST: classicDockerHost])
run(['docker', 'volume', 'rm', 'buildx_buildkit_layercache0_state'], [DOCKER_HOST: classicDockerHost])
run(['docker', 'image', 'rm', mirror], [DOCKER_HOST: classicDockerHost])
return true
