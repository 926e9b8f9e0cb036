evaluate(new File(itScripts, 'helpers.groovy'))

// CodeBuild never sets CI: neither may this build's environment (test.sh removes it for every project).
assert System.getenv('CI') == null : 'CI is set in the environment of the tests; test.sh removes it'

resetEcrEmulator()
// A cache left by an earlier run would hide a build that exports nothing.
deleteFromAuthRegistry('orders-service', 'buildcache')
return true
