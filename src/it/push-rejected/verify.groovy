evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def ref = "${authRegistryAlias}/push-rejected:1.0.0"
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("The registry refused ${ref}: ")
assert error.contains('no basic auth credentials')
assert error.contains('Check the credentials for this registry')
assert error.contains('Nothing was pushed.')
assert !log.contains('retrying in') : 'a refusal is not retried'
return true
