evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('docker buildx build failed (exit 1).')
assert error.contains('Step [2/2] RUN echo "compiling module a" && echo "error: module b is broken" && exit 3 failed')
assert error.contains('exit code: 3')
assert error.contains('Last output of the step:')
assert error.contains('error: module b is broken') : 'the failure shows the step output'
return true
