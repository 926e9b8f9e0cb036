evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Building push-failure-service 1\.0\.0/).drop(1)
assert runs.size() == 2 : "expected two builds of the service in build.log, found ${runs.size()}"
def (readmeOrder, defaultOrder) = runs
def artifacts = { String dir -> new File(basedir, "target/${dir}/io/github/layercache/it/push-failure-service") }

// 1. The README's order: the push was refused, and nothing of the service was published.
assert readmeOrder.contains('The registry refused ') && readmeOrder.contains('Nothing was pushed.')
assert !readmeOrder.contains('would be deployed before its image')
assert !(readmeOrder =~ /Uploading to local-file: \S+\/push-failure-service-1\.0\.0\.jar/) : 'no upload of the jar was attempted'
assert !artifacts('deploy-repo').exists() : "artifacts were published: ${artifacts('deploy-repo').list()}"

// 2. Maven's default order: warned in the package phase, and the jar went out before the refused push.
def warning = defaultOrder.indexOf("[WARNING] This module's Maven artifacts would be deployed before its image is pushed"
        + " (maven-deploy-plugin's default-deploy execution runs first in the deploy phase)")
assert warning >= 0 : 'the default order is warned about'
def upload = defaultOrder =~ /Uploading to local-file: \S+\/push-failure-service-1\.0\.0\.jar/
assert upload.find() && warning < upload.start() : 'the warning comes before anything is published'
assert defaultOrder.contains('The registry refused ')
assert new File(artifacts('deploy-repo-default-order'), '1.0.0/push-failure-service-1.0.0.jar').isFile()
return true
