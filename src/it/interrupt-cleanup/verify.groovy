evaluate(new File(itScripts, 'helpers.groovy'))
def state = System.properties.remove('layercache.it.interrupt')
def marker = "lc-interrupt-${runId}"
assert state.error == null : state.error
assert state.interruptedAt : 'the build was never interrupted'
assert state.mavenCommand.endsWith('java') : "interrupted ${state.mavenCommand}, not the Maven JVM"
assert state.sleepSeen : 'the RUN step was running when Maven was interrupted'
assert !state.privateDirs.isEmpty() : 'the ECR login had written its private docker config when Maven was interrupted'

def cmdline = { File proc ->
    try {
        new String(new File(proc, 'cmdline').bytes, 'UTF-8').replace('\u0000' as char, ' ' as char).trim()
    } catch (IOException e) {
        ''
    }
}
def leftovers = {
    def processes = new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }
    [
        clients: processes.findAll { cmdline(it).contains(marker) }.collect { "${it.name}: ${cmdline(it)}" },
        sleeps: processes.findAll { cmdline(it) == 'sleep 46' }.collect { it.name },
        dirs: new File(System.getProperty('java.io.tmpdir')).list().findAll { it in state.privateDirs },
        docker: ProcessHandle.of(state.dockerPid).map { it.isAlive() }.orElse(false)
    ]
}
// The child and its build are stopped within moments, not when the 46 s step would have ended.
def found = leftovers()
def deadline = System.currentTimeMillis() + 20000
while ((found.clients || found.sleeps || found.dirs || found.docker) && System.currentTimeMillis() < deadline) {
    sleep 250
    found = leftovers()
}
assert !found.docker : "the docker client ${state.dockerPid} is still running"
assert found.clients.isEmpty() : "docker processes of this build are still running: ${found.clients}"
assert found.sleeps.isEmpty() : "the RUN step's process is still running: ${found.sleeps}"
assert found.dirs.isEmpty() : "the private docker config was left behind: ${found.dirs}"
assert System.currentTimeMillis() - state.interruptedAt < 40000
return true
