evaluate(new File(itScripts, 'helpers.groovy'))

// The ECR emulator (started by the main build) counts this project's token requests from zero.
resetEcrEmulator()

// The builder is created in this run, from a BuildKit image it must pull from the ECR-like registry.
run(['docker', 'buildx', 'rm', 'lc-it-reactor'])
run(['docker', 'image', 'rm', '-f', "${authRegistry}/moby/buildkit:buildx-stable-1".toString()])

// A cold first build: no cache left in the registry by an earlier run.
['orders-service', 'team/billing'].each { repository -> deleteFromAuthRegistry(repository, 'buildcache') }
return true
