import java.util.concurrent.ConcurrentHashMap

// Waits for the docker buildx client of this build, then interrupts its parent, the Maven JVM, as Ctrl-C does.
def marker = "lc-interrupt-${runId}"
def state = new ConcurrentHashMap()
state.started = System.currentTimeMillis()
System.properties.put('layercache.it.interrupt', state)
def cmdline = { File proc ->
    try {
        new String(new File(proc, 'cmdline').bytes, 'UTF-8').replace('\u0000' as char, ' ' as char).trim()
    } catch (IOException e) {
        ''
    }
}
Thread.start('interrupter') {
    def deadline = System.currentTimeMillis() + 120000
    while (System.currentTimeMillis() < deadline) {
        def client = new File('/proc').listFiles().find { it.name ==~ /\d+/ && cmdline(it).startsWith('docker ') && cmdline(it).contains(marker) }
        if (client != null) {
            sleep 3000 // let the RUN step start
            def docker = ProcessHandle.of(client.name as long).orElse(null)
            def maven = docker?.parent()?.orElse(null)
            if (maven == null) {
                state.error = 'the docker client ended before it could be interrupted'
                return
            }
            state.dockerPid = docker.pid()
            state.mavenPid = maven.pid()
            state.mavenCommand = maven.info().command().orElse('?')
            state.privateDirs = new File(System.getProperty('java.io.tmpdir')).list().findAll { it.startsWith('layercache-docker-config-') }
            state.sleepSeen = new File('/proc').listFiles().any { it.name ==~ /\d+/ && cmdline(it) == 'sleep 46' }
            ['kill', '-INT', "${maven.pid()}"].execute().waitFor()
            state.interruptedAt = System.currentTimeMillis()
            return
        }
        sleep 50
    }
    state.error = 'no docker buildx client with the marker appeared'
}
return true
