// The project is its own git checkout, on a detached HEAD as CodeBuild leaves a pull request's source.
def git = { List<String> args ->
    def process = new ProcessBuilder(['git', '-c', 'user.name=layercache-it', '-c', 'user.email=it@layercache.invalid'] + args)
            .directory(basedir)
            .redirectErrorStream(true)
            .start()
    def output = process.inputStream.text
    assert process.waitFor() == 0 : "git ${args}: ${output}"
}
git(['init', '-q', '-b', 'main'])
git(['add', '-A'])
git(['commit', '-q', '-m', 'pull request 42'])
git(['checkout', '-q', '--detach'])
return true
