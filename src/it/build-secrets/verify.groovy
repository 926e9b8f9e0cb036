evaluate(new File(itScripts, 'helpers.groovy'))
def log = new File(basedir, 'build.log').text
def secrets = ['file-secret-3f9a61c2', 'env-secret-77d0e4b5']

// Both secrets reached the RUN step (their sizes are printed).
assert log =~ /#\d+ [0-9.]+ npmrc bytes: 21/
assert log =~ /#\d+ [0-9.]+ token bytes: 19/

// Only their ids and sources are on the command line (logged at -X); the values are nowhere.
assert log.contains(' --no-cache ')
assert log.contains('--secret id=npmrc,src=')
assert log.contains('--secret id=token,env=LAYERCACHE_IT_TOKEN')
// Maven itself lists its environment at -X ("[DEBUG] env.NAME: value"): that is not the plugin's output.
def pluginOutput = log.readLines().findAll { !it.startsWith('[DEBUG] env.') }.join('\n')
secrets.each { secret -> assert !pluginOutput.contains(secret) : 'a secret value reached the build log' }

def image = "${registry}/build-secrets:1.0.0"
def config = ['docker', 'image', 'inspect', image].execute().text
def history = ['docker', 'history', '--no-trunc', image].execute().text
assert config.contains('"Id"') && history.contains('RUN')
secrets.each { secret ->
    assert !config.contains(secret) : 'a secret value is in the image config (labels, env, args)'
    assert !history.contains(secret) : 'a secret value is in the image history'
}
return true
