// The team's repository exists already, with immutable tags.
evaluate(new File(itScripts, 'helpers.groovy'))
resetEcrEmulator()
def create = new URL("${ecrEndpoint}/__repositories").openConnection()
create.requestMethod = 'POST'
create.doOutput = true
create.outputStream.withWriter('UTF-8') { it << '{"repositoryName":"ecr-immutable-cache","imageTagMutability":"IMMUTABLE"}' }
assert create.responseCode == 200 : create.errorStream?.text
return true
