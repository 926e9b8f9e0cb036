evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def ref = '127.0.0.1:1/push-retry:1.0.0'
assert log.contains("[WARNING] Pushing ${ref} failed (") && log.contains('connection refused')
assert log.contains('retrying in 1 s (attempt 2 of 3)')
assert log.contains('retrying in 2 s (attempt 3 of 3)') : 'the delay doubles'
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("Could not push ${ref} after 3 attempts: ")
assert error.contains('Set <pushRetries> (or -Dlayercache.push.retries) in the plugin configuration.')
return true
