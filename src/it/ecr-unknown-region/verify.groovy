evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def error = log.substring(log.indexOf('[ERROR] Failed to execute goal'))
assert error.contains("Unknown AWS region 'xx-nowhere-9' in the registry host 123456789012.dkr.ecr.xx-nowhere-9.amazonaws.com.")
assert error.contains('Set <awsRegion> (or -Dlayercache.aws.region)')
assert !log.contains('#1 [internal]') : 'nothing was built'
return true
