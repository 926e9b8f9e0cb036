evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building ECR Without Credentials 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (ci, laptop) = builds

// 1. In CI a missing login is an error, and nothing was built.
def error = ci.substring(ci.indexOf('[ERROR] Failed to execute goal'))
assert error.contains('No AWS credentials for the ECR login to ' + authRegistry + '. The default chain looked in: the environment (AWS_ACCESS_KEY_ID')
assert error.contains('container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, as CodeBuild and ECS set it)')
assert error.contains('Set <awsProfile> (or -Dlayercache.aws.profile)')
assert !ci.contains('#1 [internal]') : 'nothing was built'

// 2. Elsewhere: one warning that says what was left out and why, then a local build without the registry cache.
def warnings = laptop.readLines().findAll { it.startsWith('[WARNING]') && it.contains('No AWS credentials') }
assert warnings == ['[WARNING] No AWS credentials for the ECR login to ' + authRegistry + ', and this is not a CI build:'
        + ' building without the registry cache there, without the fingerprint check. The image stays in the local'
        + ' Docker; pushing it needs credentials, and in CI a missing login is an error. To use the team\'s cache,'
        + ' give this machine AWS credentials (for example aws sso login with a profile, named by AWS_PROFILE).']
assert laptop.contains('BUILD SUCCESS')
assert !laptop.contains('--cache-from') && !laptop.contains('importing cache manifest')
def result = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/layercache/image.json'))
assert result.cache.from == [] && result.cache.to == []
def image = run(['docker', 'image', 'inspect', '--format', '{{.Id}}', "${authRegistry}/ecr-no-credentials:1.0.0".toString()])
assert image.exit == 0 && image.output.trim() == result.digest : 'the image is in the local Docker'
return true
