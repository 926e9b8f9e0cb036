#!/usr/bin/env bash
# Side B of scenario 6 (bench/run.sh): the flow of AWS's CodeBuild guide for a registry cache in
# ECR, run by bench/ci/pom.xml's profile "aws" from inside `mvn deploy` (the plugin skipped):
#   package: docker buildx build --builder B --cache-to type=registry,ref=IMAGE:buildcache,mode=max,
#              image-manifest=true,oci-mediatypes=true --cache-from type=registry,ref=IMAGE:buildcache
#              -t IMAGE:TAG --load .
#   deploy:  docker push IMAGE:TAG
# The build arguments are the ones the plugin passes for the same Dockerfile (BASE_IMAGE and
# SOURCE_DATE_EPOCH), one NAME=VALUE a line in BUILD_ARGS_FILE, so that both sides share one cache.
# Appends "build SECONDS" or "push SECONDS" (the command's own wall time) to SECONDS_FILE.
#
# Usage: ci-raw.sh build|push IMAGE TAG BUILDER BUILD_ARGS_FILE SECONDS_FILE   (run in bench/ci)
set -euo pipefail
(($# == 6)) || { echo "usage: ci-raw.sh build|push IMAGE TAG BUILDER BUILD_ARGS_FILE SECONDS_FILE" >&2; exit 2; }
step=$1 image=$2 tag=$3 builder=$4 build_args=$5 seconds=$6

case $step in
  build)
    [[ -f $build_args ]] || { echo "ci-raw.sh: no build arguments in $build_args" >&2; exit 2; }
    argv=(docker buildx build --builder "$builder" --progress=plain
      --cache-to "type=registry,ref=${image}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true"
      --cache-from "type=registry,ref=${image}:buildcache"
      -t "${image}:${tag}" --load)
    while IFS= read -r arg; do
      [[ -z $arg ]] || argv+=(--build-arg "$arg")
    done <"$build_args"
    argv+=(.)
    ;;
  push) argv=(docker push "${image}:${tag}") ;;
  *) echo "ci-raw.sh: the step is build or push, not $step" >&2; exit 2 ;;
esac

echo "ci-raw.sh: ${argv[*]}"
started=$(date +%s.%N)
"${argv[@]}"
ended=$(date +%s.%N)
awk -v s="$step" -v a="$started" -v b="$ended" 'BEGIN { printf "%s %.3f\n", s, b - a }' >>"$seconds"
