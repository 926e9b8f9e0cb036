evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def builds = log.split(/\[INFO\] Reactor Build Order:/).drop(1)
assert builds.size() == 2 : "expected two builds in build.log, found ${builds.size()}"
def (skipBuild, skipAll) = builds

// The pom module: the goal runs and says nothing.
def parent = skipBuild.substring(skipBuild.indexOf('Building skip-flags 1.0.0'), skipBuild.indexOf('Building skip-flags-service 1.0.0'))
assert parent =~ /--- layercache:[^:]+:build \(default\) @ skip-flags ---/
assert !parent.contains('Skipping') && !parent.contains('Dockerfile')

assert skipBuild.contains('[INFO] Skipping the image build (layercache.skip.build=true)')
assert skipAll.contains('[INFO] Skipping layercache (layercache.skip=true)')
[skipBuild, skipAll].each { build ->
    assert build.contains('BUILD SUCCESS')
    assert !build.contains('Dockerfile not found') && !build.contains('#1 ')
}
return true
