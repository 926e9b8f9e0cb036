import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Reactor Build Order:/).drop(1)
assert runs.size() == 3 : "expected three runs in build.log, found ${runs.size()}"
def modules = (1..8).collect { "load-service-${it}".toString() }
evaluate(new File(itScripts, 'helpers.groovy'))
def registryDigest = { String repository -> manifestOf(registry, repository, '1.0.0')?.digest }

def pushedPerRun = runs.collect { run ->
    assert run.contains('BUILD SUCCESS')
    modules.collectEntries { module ->
        def built = (run =~ /\[INFO\] \[${module}\] Built \S+:1\.0\.0 \(sha256:([0-9a-f]{12})\)/)
        def pushed = (run =~ /\[INFO\] \[${module}\] Pushed \S+\/${module}:1\.0\.0 \((sha256:[0-9a-f]{64})\)/)
        assert built.size() == 1 && pushed.size() == 1 : "${module} built and pushed once in every run"
        assert pushed[0][1].startsWith("sha256:${built[0][1]}") : "${module} pushed the digest it built"
        [(module): pushed[0][1]]
    }
}
// Every run made new images, and the registry holds exactly the last run's, as recorded.
modules.each { module ->
    assert pushedPerRun.collect { it[module] }.toSet().size() == 3 : "${module} built a new image in each run"
    def result = new JsonSlurper().parse(new File(basedir, "${module}/target/layercache/image.json"))
    assert result.digest == pushedPerRun[2][module]
    assert result.pushed.digest == result.digest
    assert registryDigest(module) == result.digest : "${module}:1.0.0 in the registry is the recorded image"
}
return true
