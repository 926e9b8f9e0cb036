#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then the invoker projects under src/it against a real
# Docker Engine with buildx and real registries, which src/env/env.sh installs and starts first.
# Extra arguments go to Maven, e.g. -Dinvoker.test=build-cache-roundtrip.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash src/env/env.sh up
props="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}/env.properties"
registry=$(sed -n 's/^registry\.plain=//p' "$props")
base_image=$(sed -n 's/^base\.image=//p' "$props")
auth_registry=$(sed -n 's/^registry\.auth=//p' "$props")

./mvnw -B -ntp verify -Prun-its -Dit.registry="$registry" -Dit.baseImage="$base_image" \
  -Dit.authRegistry="$auth_registry" "$@"
