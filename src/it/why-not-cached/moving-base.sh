#!/bin/sh
# Puts under the tag $1 an image made from $3 whose layers differ with $2: the base image "moves behind its tag".
set -eu
printf 'FROM %s\nRUN echo %s > /variant\n' "$3" "$2" | docker build -q -t "$1" - >/dev/null
docker push -q "$1" >/dev/null
echo "moved $1 to variant $2"
