evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('ECR GetAuthorizationToken for ' + authRegistry + ' failed: cannot reach the ECR API at http://127.0.0.1:1 (AWS_ENDPOINT_URL_ECR)')
assert error.contains('Check the network, the region, or AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL.')
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
