evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('No AWS credentials for the ECR login to ' + authRegistry + '. The default chain looked in: the environment (AWS_ACCESS_KEY_ID')
assert error.contains('container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, as CodeBuild and ECS set it)')
assert error.contains('Set <awsProfile> (or -Dlayercache.aws.profile)')
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
