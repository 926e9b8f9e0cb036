evaluate(new File(itScripts, 'helpers.groovy'))
// The build's docker config is this project's own: it runs with the lane's buildx all the same.
linkLaneCliPlugins(new File(basedir, 'user-docker'))
return true
