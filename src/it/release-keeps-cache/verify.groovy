import groovy.json.JsonSlurper

evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Building Release Keeps Cache 1\.0\.0/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (first, release) = builds
def expensive = /#(\d+) \[\d+\/\d+\] RUN echo "expensive step of run ${runId}".*/
def workdir = /#(\d+) \[\d+\/\d+\] WORKDIR \/srv/

// 1. The first build ran the expensive step and exported the cache.
def firstId = (first =~ expensive)[0][1]
assert !(first =~ /(?m)^\[INFO\] #${firstId} CACHED$/)

// 2. The release, on a fresh machine: WORKDIR and the expensive step came from the registry cache.
assert release.contains("importing cache manifest from ${registry}/release-keeps-cache:buildcache")
[workdir, expensive].each { step ->
    def id = (release =~ step)[0][1]
    assert release =~ /(?m)^\[INFO\] #${id} CACHED$/ : "a release rebuilt ${step}"
}

// 3. Both builds had the same SOURCE_DATE_EPOCH (the image was created at 0), and the release time is a label.
def config = new JsonSlurper().parseText(run(['docker', 'image', 'inspect', "${registry}/release-keeps-cache:1.0.0".toString()]).output)[0]
assert config.Created.startsWith('1970-01-01T00:00:00')
assert config.Config.Labels['org.opencontainers.image.created'] == '2026-02-01T00:00:00Z'
return true
