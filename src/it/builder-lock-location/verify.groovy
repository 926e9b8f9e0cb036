import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains("Reusing buildx builder 'default' (driver docker, running)") : 'buildx-setup ran and took the lock'

// The user's docker config directory is byte for byte what it was.
def snapshot = evaluate(new File(basedir, 'snapshot.groovy'))
def after = snapshot(new File(basedir, 'user-docker'))
assert after == new File(basedir, 'user-docker.before').text : "the user's docker config directory changed:\n${after}"

// buildx keeps its own state where BUILDX_CONFIG says; the plugin put nothing of its own there.
def buildx = new File(basedir, 'user-buildx')
def ours = []
if (buildx.exists()) {
    buildx.eachFileRecurse { f -> if (f.name.contains('layercache')) ours << f }
}
assert ours.isEmpty() : "the plugin wrote into the user's buildx directory: ${ours}"

// The lock is in the plugin's own owner-only directory.
def locks = new File(basedir, 'cache/layercache/locks')
def lock = new File(locks, 'builder-default.lock')
assert lock.isFile() : "no lock file in ${locks}: ${locks.list()}"
assert PosixFilePermissions.toString(Files.getPosixFilePermissions(locks.toPath())) == 'rwx------'
assert PosixFilePermissions.toString(Files.getPosixFilePermissions(lock.toPath())) == 'rw-------'
return true
