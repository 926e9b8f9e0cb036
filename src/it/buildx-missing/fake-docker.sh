#!/bin/sh
# docker without the buildx plugin: every "docker buildx ..." fails as the real CLI does.
echo "docker: 'buildx' is not a docker command." >&2
echo "See 'docker --help'" >&2
exit 1
