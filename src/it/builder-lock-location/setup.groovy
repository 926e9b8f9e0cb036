evaluate(new File(itScripts, 'helpers.groovy'))
linkLaneCliPlugins(new File(basedir, 'user-docker'))

// The user's docker config directory as it is, to compare after the build.
def snapshot = evaluate(new File(basedir, 'snapshot.groovy'))
new File(basedir, 'user-docker.before').text = snapshot(new File(basedir, 'user-docker'))
return true
