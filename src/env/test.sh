#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then the invoker projects under src/it against a real
# Docker Engine with buildx and real registries, which src/env/env.sh installs and starts first, in
# two lanes one after the other:
#   2024   Docker Engine 26.1 and buildx 0.13.1 (Debian trixie), BuildKit v0.13.2 for docker-container
#          builders, the classic-image-store daemon (CodeBuild's situation); results in target/it
#   today  Docker Engine 28.5 (its own BuildKit for the docker driver) and buildx 0.29 (Debian sid),
#          the same BuildKit image for docker-container builders; results in target/it-today
# LAYERCACHE_LANES picks lanes (default "2024 today"). Extra arguments go to Maven, e.g.
# -Dinvoker.test=build-cache-roundtrip.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash src/env/env.sh up
# env.sh prepared the daemon on the standard socket: Maven and docker must use that one (the today
# lane sets its own), not the caller's DOCKER_HOST or docker context.
export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT
env_dir="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}"
props="${env_dir}/env.properties"
prop() { sed -n "s/^${1//./\\.}=//p" "$props"; }
# What the run leaves must go however it ends: the linux/arm64 emulation (a kernel-wide binfmt_misc
# registration, only for the test run) and the buildx builders the projects create, whose BuildKit
# containers would go on running (some projects keep their builder's state in their own buildx
# directory, so the containers are removed by name too, on both daemons).
remove_test_builders() {
  local builder host config
  # The today lane keeps its builders in its own docker config.
  for config in "${DOCKER_CONFIG:-${HOME}/.docker}" "$(prop today.docker.config)"; do
    for builder in $(DOCKER_CONFIG="${config}" docker buildx ls --format '{{.Name}}' 2>/dev/null | grep -E '^(lc-it-|layercache$)' | sort -u); do
      DOCKER_CONFIG="${config}" docker buildx rm "${builder}" >/dev/null 2>&1 || true
    done
  done
  for host in "${DOCKER_HOST}" "$(prop classic.docker.host)" "$(prop today.docker.host)"; do
    DOCKER_HOST="${host}" docker ps -aq --filter name=buildx_buildkit_lc-it- --filter name=buildx_buildkit_layercache0 \
      | xargs -r env DOCKER_HOST="${host}" docker rm -f -v >/dev/null 2>&1 || true
    DOCKER_HOST="${host}" docker volume ls -q --filter name=buildx_buildkit_lc-it- --filter name=buildx_buildkit_layercache0 \
      | xargs -r env DOCKER_HOST="${host}" docker volume rm >/dev/null 2>&1 || true
  done
}
cleanup() {
  remove_test_builders
  bash src/env/env.sh emulation-off
}
trap cleanup EXIT
bash src/env/env.sh emulation-on
# The projects set the CI and AWS variables they are about; the machine's own must not leak into them.
unset CI CODEBUILD_BUILD_ID GITHUB_ACTIONS GITLAB_CI JENKINS_URL BUILDKITE CIRCLECI TF_BUILD BITBUCKET_BUILD_NUMBER \
  TEAMCITY_VERSION TRAVIS AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE \
  AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
# settings.xml of the ITs reads the maven user's password from the environment, never from a command line.
IT_REGISTRY_MAVEN_PASSWORD=$(prop registry.auth.maven.password)
export IT_REGISTRY_MAVEN_PASSWORD
# The POM reads the test environment's settings from env.properties in it.envDir (the run-its
# profile); only what differs between lanes goes on the command line.
its_args=(-Dit.envDir="${env_dir}")

# The unit tests run with the first lane only.
unit_tests=()
run_lane() {
  local lane=$1
  shift
  echo "[test] lane ${lane}"
  case "${lane}" in
    2024)
      ./mvnw -B -ntp verify -Prun-its "${unit_tests[@]}" "${its_args[@]}" -Dit.dir="$PWD/target/it" \
        -Dit.laneDockerVersion="$(prop docker.version)" -Dit.laneBuildxVersion="$(prop buildx.version)" "$@"
      ;;
    today)
      DOCKER_HOST="$(prop today.docker.host)" DOCKER_CONFIG="$(prop today.docker.config)" \
        PATH="$(prop today.docker.bin):${PATH}" \
        ./mvnw -B -ntp verify -Prun-its "${unit_tests[@]}" "${its_args[@]}" -Dit.dir="$PWD/target/it-today" \
        -Dit.laneDockerVersion="$(prop today.docker.version)" -Dit.laneBuildxVersion="$(prop today.buildx.version)" "$@"
      ;;
    *)
      echo "[test] unknown lane '${lane}' in LAYERCACHE_LANES (expected 2024 and/or today)" >&2
      return 2
      ;;
  esac
  unit_tests=(-DskipTests)
}

for lane in ${LAYERCACHE_LANES:-2024 today}; do
  run_lane "${lane}" "$@"
done
