evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
def matcher = error =~ /The build context \/tmp is outside the project \(([^)]+)\): /
assert matcher.find() : 'the message names the context and says it is outside the project'
def root = matcher.group(1)
assert basedir.absolutePath.startsWith(root) : "the project root ${root} holds the project ${basedir}"
assert error.contains('BuildKit would receive files that are not part of it. Point the context at a directory inside the project.')
assert error.contains('Set <contextDirectory> (or -Dlayercache.context) in the plugin configuration.') : 'the message names the parameter to set'
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
