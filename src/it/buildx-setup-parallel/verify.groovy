evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builder = "lc-it-parallel-${runId}"
try {
    def created = (log =~ /\[INFO\] \[(service-[a-d])\] Created buildx builder '${builder}'/).collect { it[1] }
    def reused = (log =~ /\[INFO\] \[(service-[a-d])\] Reusing buildx builder '${builder}'/).collect { it[1] }
    assert created.size() == 1 : "one module creates the builder, got ${created}"
    assert reused.size() == 3 : "the other three reuse it, got ${reused}"
    assert (created + reused).toSet() == ['service-a', 'service-b', 'service-c', 'service-d'].toSet()
    def inspect = ['docker', 'buildx', 'inspect', builder].execute()
    def out = new StringBuilder()
    inspect.waitForProcessOutput(out, new StringBuilder())
    assert inspect.exitValue() == 0 && out.toString().contains('docker-container')
} finally {
    ['docker', 'buildx', 'rm', builder].execute().waitForProcessOutput(new StringBuilder(), new StringBuilder())
}
return true
