evaluate(new File(itScripts, 'helpers.groovy'))

// The ECR emulator (started by the main build) counts this project's token requests from zero.
resetEcrEmulator()

// A cold first build: no cache left in the registry by an earlier run.
['orders-service', 'team/billing'].each { repository -> deleteFromAuthRegistry(repository, 'buildcache') }
return true
