import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

// The emulator is started by the main build; wait for it, then forget earlier projects' calls.
evaluate(new File(itScripts, 'helpers.groovy'))
resetEcrEmulator()
linkLaneCliPlugins(new File(basedir, 'user-docker'))

// The builder is created in this run, from a BuildKit image it must pull from the ECR-like registry.
// (Its buildx state lives in this project's DOCKER_CONFIG, gone with the last run: remove the container itself.)
run(['docker', 'rm', '-f', '-v', 'buildx_buildkit_lc-it-ecr0'])
run(['docker', 'volume', 'rm', 'buildx_buildkit_lc-it-ecr0_state'])
run(['docker', 'image', 'rm', '-f', "${authRegistry}/moby/buildkit:buildx-stable-1".toString()])

// The real ~/.docker/config.json, to compare after the build.
def home = new File(System.getProperty('user.home'), '.docker/config.json')
new File(basedir, 'home-docker-config.before').bytes = home.exists() ? home.bytes : 'absent'.bytes

// Sample every process's command line while the build runs: no token or password may be on one.
def password = new File(envDir, 'secrets/AWS.password').text.trim()
def secrets = [password, "AWS:${password}".bytes.encodeBase64().toString()]
def sampler = [stop: new AtomicBoolean(false), hits: new ConcurrentLinkedQueue(), samples: new AtomicInteger(), dockerSeen: new AtomicInteger()]
System.properties.put('layercache.it.ecr-login.sampler', sampler)
Thread.start('command-line-sampler') {
    while (!sampler.stop.get()) {
        new File('/proc').eachFileMatch(~/\d+/) { proc ->
            try {
                def cmdline = new String(new File(proc, 'cmdline').bytes, 'UTF-8').replace('\u0000' as char, ' ' as char)
                if (secrets.any { cmdline.contains(it) }) {
                    sampler.hits.add(proc.name)
                }
                if (cmdline.startsWith('docker ') && (cmdline.contains(' push ') || cmdline.contains(' build '))) {
                    sampler.dockerSeen.incrementAndGet()
                }
            } catch (IOException ignored) {
                // the process ended while we read it
            }
        }
        sampler.samples.incrementAndGet()
        sleep 20
    }
}
return true
