evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builder = "lc-it-offline-${runId}"
assert log.contains("Creating buildx builder '${builder}' (driver docker-container)")
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("The buildx builder '${builder}' could not boot: ")
assert error.contains('moby/buildkit:buildx-stable-1 from Docker Hub')
assert error.contains('Set <buildkitImage> (or -Dlayercache.buildx.image) in the plugin configuration.')
assert log.contains("Removed the builder '${builder}' that could not boot")
def inspect = ['docker', 'buildx', 'inspect', builder].execute()
inspect.waitForProcessOutput(new StringBuilder(), new StringBuilder())
assert inspect.exitValue() != 0 : 'no half-created builder is left behind'
return true
