#!/usr/bin/env bash
# The main job: builds src/demo/sample-service's image with the plugin twice, against a real
# Docker Engine and registry (installed and started by src/env/env.sh when missing).
#   1. cold: no cache anywhere, the slow step runs and the cache is exported to the registry;
#   2. warm: BuildKit's local cache pruned and the image removed, as on a fresh CI machine:
#      the slow step and the Java layers come from the registry cache;
# then runs the image (java @/app/launch.args, from the layers the plugin laid out).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash src/env/env.sh up
# env.sh prepared the daemon on the standard socket: Maven and docker must use that one, not the
# caller's DOCKER_HOST or docker context.
export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT
props="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}/env.properties"
registry=$(sed -n 's/^registry\.plain=//p' "$props")
base_image=$(sed -n 's/^jre\.image=//p' "$props")
sample=src/demo/sample-service
image="${registry}/sample-service"

echo "[demo] installing the plugin into the local Maven repository"
./mvnw -B -q -ntp install -Dmaven.test.skip=true -Dspotless.check.skip=true
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)

forget_local_state() {
  docker buildx prune -af >/dev/null
  docker image rm -f "${image}:1.0.0" >/dev/null 2>&1 || true
}

forget_registry_cache() {
  local accept='application/vnd.oci.image.manifest.v1+json' digest
  digest=$(curl --noproxy '*' -fsSI -H "Accept: ${accept}" "http://${registry}/v2/sample-service/manifests/buildcache" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p') || true
  if [[ -n "$digest" ]]; then
    curl --noproxy '*' -fsS -X DELETE "http://${registry}/v2/sample-service/manifests/${digest}" >/dev/null
  fi
}

build() {
  local name=$1 log="${sample}/target/demo-$1.log" started ended
  mkdir -p "${sample}/target"
  started=$(date +%s.%N)
  ./mvnw -B -ntp -f "${sample}/pom.xml" package \
    -Dlayercache-plugin.version="$version" -Dlayercache.registry="$registry" -Dbase.image="$base_image" \
    > "$log" 2>&1 || { tail -50 "$log"; exit 1; }
  ended=$(date +%s.%N)
  printf '[demo] %-4s  mvn package %5.1f s | %s\n' "$name" "$(awk "BEGIN { print $ended - $started }")" \
    "$(grep -o 'Built .*' "$log")"
}

forget_local_state
forget_registry_cache
build cold
forget_local_state
build warm
echo "[demo] image ${image}:1.0.0, digest $(sed -n 's/^  "digest" *: *"\(sha256:[0-9a-f]*\)".*/\1/p' "${sample}/target/layercache/image.json")"
echo "[demo] logs: ${sample}/target/demo-cold.log, ${sample}/target/demo-warm.log"
if ! grep -q 'Built .*; [1-9][0-9]* of [0-9]* steps cached' "${sample}/target/demo-warm.log"; then
  echo "[demo] ERROR: the warm build took nothing from the registry cache" >&2
  exit 1
fi
grep -o "Java application in build context 'java-app'.*" "${sample}/target/demo-warm.log" | sed 's/^/[demo] /'
echo "[demo] docker run ${image}:1.0.0: $(docker run --rm "${image}:1.0.0")"
