evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('ECR registry ' + authRegistry + ": the account must be a 12-digit AWS account id, not '12345'.")
assert error.contains('Set <ecrRegistries> in the plugin configuration.')
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
