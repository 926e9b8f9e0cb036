evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('ECR GetAuthorizationToken for ' + authRegistry + ' was denied: ')
assert error.contains('not authorized to perform: ecr:GetAuthorizationToken')
assert error.contains('Allow the action ecr:GetAuthorizationToken to the role or user the build runs as.')
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
