import java.time.Instant

evaluate(new File(itScripts, 'helpers.groovy'))
def state = System.properties.remove('layercache.it.build-timeout')
state?.stop?.set(true)

def log = new File(basedir, 'build.log').text
def failure = log.indexOf('[ERROR] Failed to execute goal')
assert failure >= 0 : 'the build failed in the plugin'
def error = log.substring(failure)
assert error.contains('docker buildx build did not finish within 3 s and was stopped.') : 'the message says the build ran out of time'
assert error.contains('Raise the timeout if the build needs longer.')
assert error.contains('Set <timeoutSeconds> (or -Dlayercache.timeoutSeconds) in the plugin configuration.') : 'the message names the parameter to set'
assert !new File(basedir, 'target/layercache/image.json').exists() : 'no result is recorded for a failed build'

// Nothing of the build may be left running: neither the docker client nor the RUN step in BuildKit.
def started = Instant.parse(new File(basedir, 'build-started.txt').text.trim())
def marker = "lc-timeout-${runId}"
def cmdline = { File proc ->
    try {
        new String(new File(proc, 'cmdline').bytes, 'UTF-8').replace('\u0000' as char, ' ' as char).trim()
    } catch (IOException e) {
        '' // the process is gone
    }
}
def startedDuringBuild = { File proc ->
    ProcessHandle.of(proc.name as long)
            .map { handle -> handle.info().startInstant().map { !it.isBefore(started) }.orElse(true) }
            .orElse(false)
}
def leftovers = {
    def processes = new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }
    [
        clients: processes.findAll { cmdline(it).contains(marker) }.collect { "${it.name}: ${cmdline(it)}" },
        sleeps: processes.findAll { cmdline(it) == 'sleep 45' && startedDuringBuild(it) }.collect {
            "${it.name}: started ${ProcessHandle.of(it.name as long).flatMap { h -> h.info().startInstant() }.orElse(null)}"
        }
    ]
}
def found = leftovers()
def deadline = System.currentTimeMillis() + 20000
while ((found.clients || found.sleeps) && System.currentTimeMillis() < deadline) {
    sleep 250
    found = leftovers()
}
println "build-timeout: during the build the docker client was seen as ${state?.clients?.keySet()}, the RUN step's sleep as ${state?.sleeps}"
if (!state?.sleeps) {
    println "build-timeout: the RUN step was not seen running before the build was stopped; only the docker client is checked"
}
assert state?.clients : 'the docker buildx client of this build was seen while it ran: the check below can find it'
assert found.clients.isEmpty() : "docker processes of this build are still running 20 s after it was stopped: ${found.clients}"
assert found.sleeps.isEmpty() : "the RUN step (sleep 45, started after ${started}) is still running 20 s after the build was stopped: ${found.sleeps}"
return true
