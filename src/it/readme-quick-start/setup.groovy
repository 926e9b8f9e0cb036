evaluate(new File(itScripts, 'helpers.groovy'))

// The README's quick start, as the README shows it: the POM's <build>, the Dockerfile and the .dockerignore.
def readme = new File(itScripts, '../../../README.md').text
def quickStart = readme.substring(readme.indexOf('## Quick start'))
quickStart = quickStart.substring(0, quickStart.indexOf('\n## ', 1))
def block = { String language ->
    def start = quickStart.indexOf('```' + language + '\n')
    assert start >= 0 : "the README quick start has no ${language} block"
    start += language.length() + 4
    quickStart.substring(start, quickStart.indexOf('\n```', start))
}
def build = block('xml')
def dockerfile = block('dockerfile')
def dockerignore = block('dockerignore')
assert build.startsWith('<build>') && build.endsWith('</build>') : 'the quick-start POM is a <build> block'
assert build.indexOf('spring-boot-maven-plugin') < build.indexOf('layercache-maven-plugin') : 'repackage runs first'
assert dockerfile.startsWith('FROM eclipse-temurin:21-jre\n')
assert dockerignore.readLines().contains('target/')

// This machine's registry, the plugin under test, and the additions of it-configuration.xml.
def template = new File(basedir, 'pom.xml').text
def version = (template =~ /<it\.plugin\.version>([^<]+)</)[0][1]
def additions = new File(basedir, 'it-configuration.xml').text
def readmeRegistry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
assert build.contains("<registry>${readmeRegistry}</registry>")
build = build
        .replace("<registry>${readmeRegistry}</registry>", "<registry>${registry}</registry>")
        .replaceFirst(/(<artifactId>layercache-maven-plugin<\/artifactId>\s*<version>)[^<]*(<\/version>)/, "\$1${java.util.regex.Matcher.quoteReplacement(version)}\$2")
        .replaceFirst(/<configuration>\n/, java.util.regex.Matcher.quoteReplacement("<configuration>\n" + additions))
new File(basedir, 'pom.xml').text = template.replace('  <build/>', build.readLines().collect { '  ' + it }.join('\n'))
new File(basedir, 'Dockerfile').text =
        dockerfile.replaceFirst('FROM eclipse-temurin:21-jre', 'ARG BASE_IMAGE\nFROM \\${BASE_IMAGE}') + '\n'
new File(basedir, '.dockerignore').text = dockerignore + '\n'

// A cold start: no builder of this project's name, no cache in the registry, no image of an earlier run.
run(['docker', 'buildx', 'rm', 'lc-it-quick-start'])
deleteFromRegistry(registry, 'readme-quick-start', 'buildcache')
run(['docker', 'image', 'rm', "${registry}/readme-quick-start:1.0.0".toString()])
return true
