evaluate(new File(itScripts, 'helpers.groovy'))

// The README's quick-start Dockerfile for Java services, as the README shows it, on this machine's
// Java runtime image instead of eclipse-temurin (no Docker Hub here).
def readme = new File(itScripts, '../../../README.md').text
def quickStart = readme.substring(readme.indexOf('## Quick start'))
def start = quickStart.indexOf('```dockerfile\n') + '```dockerfile\n'.length()
def dockerfile = quickStart.substring(start, quickStart.indexOf('\n```', start))
assert dockerfile.startsWith('FROM eclipse-temurin:21-jre\n') : 'the README quick start has a Java Dockerfile'
new File(basedir, 'Dockerfile').text = dockerfile.replaceFirst('FROM eclipse-temurin:21-jre', 'ARG BASE_IMAGE\nFROM \\${BASE_IMAGE}') + '\n'

// A cold start: no builder of this project's name, no cache in the registry.
run(['docker', 'buildx', 'rm', 'lc-it-java-layers'])
deleteFromRegistry(registry, 'java-layers-spring-boot', 'buildcache')
return true
