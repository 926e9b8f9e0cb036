// The project is about a builder that does not exist: make sure nobody created one of that name.
def ls = ['docker', 'buildx', 'inspect', 'lc-it-missing-builder'].execute()
ls.waitForProcessOutput(new StringBuilder(), new StringBuilder())
assert ls.exitValue() != 0 : 'a buildx builder named lc-it-missing-builder exists on this machine'
return true
