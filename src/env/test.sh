#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then the invoker projects under src/it against a real
# Docker Engine with buildx and real registries, which src/env/env.sh installs and starts first.
# Extra arguments go to Maven, e.g. -Dinvoker.test=build-cache-roundtrip.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash src/env/env.sh up
# env.sh prepared the daemon on the standard socket: Maven and docker must use that one, not the
# caller's DOCKER_HOST or docker context.
export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT
# linux/arm64 emulation is a kernel-wide binfmt_misc registration: only for the test run, removed
# again however the run ends.
trap 'bash src/env/env.sh emulation-off' EXIT
bash src/env/env.sh emulation-on
# The projects set the CI and AWS variables they are about; the machine's own must not leak into them.
unset CI CODEBUILD_BUILD_ID GITHUB_ACTIONS GITLAB_CI JENKINS_URL BUILDKITE CIRCLECI TF_BUILD BITBUCKET_BUILD_NUMBER \
  TEAMCITY_VERSION TRAVIS AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE \
  AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
props="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}/env.properties"
# settings.xml of the ITs reads the maven user's password from the environment, never from a command line.
IT_REGISTRY_MAVEN_PASSWORD=$(sed -n 's/^registry\.auth\.maven\.password=//p' "$props")
export IT_REGISTRY_MAVEN_PASSWORD
registry=$(sed -n 's/^registry\.plain=//p' "$props")
base_image=$(sed -n 's/^base\.image=//p' "$props")
auth_registry=$(sed -n 's/^registry\.auth=//p' "$props")
prop() { sed -n "s/^${1//./\\.}=//p" "$props"; }

env_dir="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}"

./mvnw -B -ntp verify -Prun-its -Dit.envDir="$env_dir" -Dit.registry="$registry" -Dit.baseImage="$base_image" \
  -Dit.authRegistry="$auth_registry" -Dit.authRegistryAlias="${auth_registry/127.0.0.1/localhost}" \
  -Dit.buildkitImage="$(prop buildkit.image)" -Dit.buildkitImageAuth="$(prop buildkit.image.auth)" \
  -Dit.buildkitdConfig="$(prop buildkitd.config)" -Dit.classicDockerHost="$(prop classic.docker.host)" \
  -Dit.remoteBuildkit="$(prop remote.buildkit.endpoint)" -Dit.multiBaseImage="$(prop base.image.multi)" "$@"
