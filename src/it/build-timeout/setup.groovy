import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicBoolean

// When the build began: a "sleep 45" started after this one is this build's RUN step.
def started = Instant.now()
new File(basedir, 'build-started.txt').text = started.toString()

// Watch the machine's processes while the build runs, so that verify.groovy can tell whether the
// RUN step was seen running at all (and check those very processes), not only that none is left.
def marker = "lc-timeout-${runId}"
def state = [stop: new AtomicBoolean(false), sleeps: new ConcurrentHashMap(), clients: new ConcurrentHashMap()]
System.properties.put('layercache.it.build-timeout', state)
def cmdline = { File proc ->
    try {
        new String(new File(proc, 'cmdline').bytes, 'UTF-8').replace('\u0000' as char, ' ' as char).trim()
    } catch (IOException e) {
        ''
    }
}
Thread.start('build-timeout-sampler') {
    def deadline = System.currentTimeMillis() + 120000
    while (!state.stop.get() && System.currentTimeMillis() < deadline) {
        new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }.each { proc ->
            def command = cmdline(proc)
            if (command.contains(marker)) {
                state.clients.put(proc.name as long, command)
            } else if (command == 'sleep 45') {
                ProcessHandle.of(proc.name as long).flatMap { it.info().startInstant() }.ifPresent {
                    if (!it.isBefore(started)) {
                        state.sleeps.put(proc.name as long, it.toString())
                    }
                }
            }
        }
        sleep 50
    }
}
return true
