import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Reactor Build Order:/).drop(1)
assert builds.size() == 3 : "expected three builds in build.log, found ${builds.size()}"
def (cold, warm, again) = builds
def slurper = new JsonSlurper()
evaluate(new File(itScripts, 'helpers.groovy'))
def manifest = { String repository, String tag -> manifestOf(authRegistry, repository, tag, authRegistryAuth()) }

builds.each { build ->
    assert build.contains('BUILD SUCCESS')
    // The jar module has no Dockerfile: one info line, no image.
    assert (build =~ /\[INFO\] \[library\] No Dockerfile in \S+library: no image for this module/).size() == 1
    // Every line of BuildKit's progress carries its module's name.
    def progress = build.readLines().findAll { it =~ /^\[INFO\] (\[[a-z-]+\] )?#\d+ / }
    assert progress.every { it =~ /^\[INFO\] \[(?:library|orders-service|billing-service)\] #\d+ / }
    // The jar module builds nothing: all it may show is buildx-setup booting the shared builder
    // when no earlier run left it running.
    assert progress.findAll { it.startsWith('[INFO] [library] ') }.every {
        it =~ /^\[INFO\] \[library\] #1 (?:\[internal\] booting buildkit|pulling image |creating container buildx_buildkit_lc-it-reactor0|DONE )/
    }
    // One table for the whole reactor.
    def table = build.substring(build.indexOf('[INFO] layercache images:'))
    assert table =~ /orders-service\s+${java.util.regex.Pattern.quote(authRegistry)}\/orders-service:1\.0\.0\s+sha256:\S+\s+\d\/\d\s+[0-9.]+ s\s+pushed/
    assert table =~ /billing-service\s+${java.util.regex.Pattern.quote(authRegistry)}\/team\/billing:2\.0\.0-rc1\s+sha256:\S+\s+\d\/\d\s+[0-9.]+ s\s+pushed/
    assert !(table =~ /\n\[INFO\]\s+library\s/)
}

assert !cold.readLines().findAll { it =~ /\[orders-service\] #\d+ / }.isEmpty()
// The third run changed nothing: both builds were skipped by their fingerprint.
['orders-service', 'billing-service'].each { module ->
    assert again =~ /\[INFO\] \[${module}\] Reused \S+:fingerprint-[0-9a-f]{48} /
}
assert !again.contains('#1 [internal] load build definition') : 'nothing was built in the third run'

// The warm build, on a pruned builder, took the shared expensive stage from each module's registry cache.
['orders-service', 'billing-service'].each { module ->
    def expensive = /\[${module}\] #(\d+) \[deps 2\/2\] RUN echo "shared dependencies for run ${runId}"/
    def coldId = (cold =~ expensive)[0][1]
    assert cold =~ /\[INFO\] \[${module}\] #${coldId} DONE/ : "${module} ran the step in the cold build"
    def warmId = (warm =~ expensive)[0][1]
    assert warm =~ /\[INFO\] \[${module}\] #${warmId} CACHED/ : "${module} took the step from the cache in the warm build"
}

// Each image and each cache under its module's own name; the child's overrides exactly.
def a = slurper.parse(new File(basedir, 'orders-service/target/layercache/image.json'))
def b = slurper.parse(new File(basedir, 'billing-service/target/layercache/image.json'))
assert a.image == "${authRegistry}/orders-service" && a.tags == ['1.0.0']
assert b.image == "${authRegistry}/team/billing" && b.tags == ['2.0.0-rc1']
assert a.cache.to == ["${authRegistry}/orders-service:buildcache"]
assert b.cache.to == ["${authRegistry}/team/billing:buildcache"]
assert manifest('orders-service', '1.0.0').digest == a.pushed.digest
assert manifest('team/billing', '2.0.0-rc1').digest == b.pushed.digest
assert manifest('team/billing', '1.0.0') == null : 'the child gets only its own tag'
assert manifest('billing-service', '1.0.0') == null : 'the child gets only its own repository'
['orders-service', 'team/billing'].each { repository ->
    def cache = manifest(repository, 'buildcache')
    assert cache.body.config.mediaType == 'application/vnd.buildkit.cacheconfig.v0'
}
assert !new File(basedir, 'library/target/layercache').exists()

// One ECR token per Maven run, for both modules: three runs, three tokens.
def calls = slurper.parse(new URL("${ecrEndpoint}/__calls"))
assert calls.GetAuthorizationToken == 3 : "expected one token per run, the emulator saw ${calls.GetAuthorizationToken} in three runs"
// The modules built through one docker-container builder, created once from the BuildKit image that
// was pulled from the ECR-like registry with the ECR login.
assert (log =~ /Created buildx builder 'lc-it-reactor'/).size() == 1 : 'the builder was created once'
assert log.contains("pulling image ${authRegistry}/moby/buildkit:buildx-stable-1") : 'the BuildKit image was pulled'
assert !(log =~ /Reusing buildx builder 'lc-it-reactor' \(driver docker[,)]/) : 'no module used the docker driver'
return true
