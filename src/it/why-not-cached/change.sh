#!/bin/sh
# Changes one input of the image before a build: what the verify script expects that build to name.
# Usage: change.sh <kind> <moving base image tag> <base image>
set -eu
cd "$(dirname "$0")/app"
case "$1" in
  none) chmod 0644 gradlew && ../moving-base.sh "$2" a "$3" ;;
  nothing | argument | early-argument) ;;
  source) printf 'util, changed\n' > src/Util.txt ;;
  mode) chmod 0755 gradlew ;;
  dockerfile) sed -i 's#^RUN cat /work/src/\*.txt > /work/app.txt$#RUN cat /work/src/*.txt | sort > /work/app.txt#' Dockerfile ;;
  dockerignore) rm .dockerignore ;;
  base) ../moving-base.sh "$2" b "$3" ;;
  *) echo "unknown change: $1" >&2; exit 2 ;;
esac
