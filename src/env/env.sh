#!/usr/bin/env bash
# Container test environment for this project, on Debian 12 (bookworm) as root:
#   - Docker Engine 26 + buildx from Debian trixie, dockerd with the containerd image store
#   - two local registries (distribution 2.8) on 127.0.0.1: a plain one and an htpasswd one
#   - a tiny busybox base image pushed to both registries
# Installs what is missing and starts what is down; a quick no-op when all is up.
#
# Usage: env.sh [up|status|down]
#   up      (default) install and start everything, write $STATE/env.properties
#   status  print what is up or down; exit 1 if anything is down
#   down    stop the registries and the dockerd this script started (packages stay)
#
# Environment: LAYERCACHE_ENV_DIR (default /var/lib/layercache-env),
#              LAYERCACHE_REGISTRY_PORT (5501), LAYERCACHE_AUTH_REGISTRY_PORT (5502)
set -euo pipefail

readonly STATE="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}"
readonly PLAIN_PORT="${LAYERCACHE_REGISTRY_PORT:-5501}"
readonly AUTH_PORT="${LAYERCACHE_AUTH_REGISTRY_PORT:-5502}"
readonly PLAIN_REGISTRY="127.0.0.1:${PLAIN_PORT}"
readonly AUTH_REGISTRY="127.0.0.1:${AUTH_PORT}"
readonly BASE_NAME=base
readonly BASE_TAG=1
readonly AUTH_USER=AWS
readonly MAVEN_USER=maven

readonly DOCKER_SOCKET=/var/run/docker.sock
readonly DOCKER_DIR="${STATE}/docker"
readonly DOCKER_CONFIG_FILE="${DOCKER_DIR}/daemon.json"
readonly DOCKER_PIDFILE="${DOCKER_DIR}/dockerd.pid"
# Kept short: containerd's sockets live below it and unix socket paths are limited to 108 bytes.
readonly DOCKER_EXEC_ROOT=/var/run/layercache-docker
readonly LOG_DIR="${STATE}/logs"
readonly SECRETS_DIR="${STATE}/secrets"
readonly HTPASSWD_FILE="${SECRETS_DIR}/htpasswd"
readonly PROPERTIES_FILE="${STATE}/env.properties"

readonly DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
readonly TRIXIE_SOURCES=/etc/apt/sources.list.d/layercache-trixie.sources
readonly TRIXIE_PIN=/etc/apt/preferences.d/layercache-trixie
readonly SYSTEM_PLUGIN_DIR=/usr/libexec/docker/cli-plugins
readonly LOCAL_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
readonly STARTUP_TIMEOUT=60

readonly MANIFEST_ACCEPT='application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json'

# Everything below talks to the daemon on the standard socket, whatever the caller's context.
if [[ -n "${DOCKER_HOST:-}" && "${DOCKER_HOST}" != "unix://${DOCKER_SOCKET}" ]]; then
  echo "[env] WARNING: ignoring DOCKER_HOST=${DOCKER_HOST}; this script uses unix://${DOCKER_SOCKET}" >&2
fi
export DOCKER_HOST="unix://${DOCKER_SOCKET}"
unset DOCKER_CONTEXT
export PATH="${PATH}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export DEBIAN_FRONTEND=noninteractive

log() { echo "[env] $*"; }
warn() { echo "[env] WARNING: $*" >&2; }
die() { echo "[env] ERROR: $*" >&2; exit 1; }

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (it installs packages and starts dockerd); try: sudo $0 $*"
}

# Serialises concurrent 'up'/'down' runs (e.g. a developer and CI on the same machine).
take_lock() {
  mkdir -p "${STATE}"
  exec 9>"${STATE}/.lock"
  flock -w 600 9 || die "another env.sh run holds ${STATE}/.lock for more than 10 minutes"
}

# ---------------------------------------------------------------- packages

# True when the package is installed, at least in version $2 when given.
package_installed() {
  local name=$1 min_version=${2:-} status version
  status=$(dpkg-query -W -f '${db:Status-Abbrev}|${Version}' "${name}" 2>/dev/null) || return 1
  [[ "${status}" == ii* ]] || return 1
  version=${status#*|}
  [[ -z "${min_version}" ]] || dpkg --compare-versions "${version}" ge "${min_version}"
}

ensure_trixie_source() {
  if [[ ! -f "${TRIXIE_SOURCES}" ]]; then
    [[ -f "${DEBIAN_SOURCES}" ]] || die "${DEBIAN_SOURCES} not found: cannot derive a trixie apt source from it"
    local tmp="${TRIXIE_SOURCES}.tmp"
    # First stanza only (up to the first blank line), with its Suites: line replaced.
    awk 'NF == 0 { if (started) exit; next }
         { started = 1 }
         /^Suites:/ { print "Suites: trixie"; next }
         { print }' "${DEBIAN_SOURCES}" >"${tmp}"
    if ! grep -q '^URIs:' "${tmp}" || ! grep -q '^Suites: trixie$' "${tmp}"; then
      rm -f "${tmp}"
      die "could not derive a trixie source from the first stanza of ${DEBIAN_SOURCES}"
    fi
    mv "${tmp}" "${TRIXIE_SOURCES}"
    log "added apt source ${TRIXIE_SOURCES}"
  fi
  if [[ ! -f "${TRIXIE_PIN}" ]]; then
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"${TRIXIE_PIN}"
    log "pinned trixie low in ${TRIXIE_PIN}"
  fi
}

apt_get() {
  apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" \
    || die "apt-get $* failed"
}

ensure_packages() {
  local trixie_missing=0 bookworm_missing=() spec
  for spec in "docker.io 26" "docker-cli 26" "docker-buildx 0.13" "containerd 1.7"; do
    # shellcheck disable=SC2086 # spec is "name min-version"
    package_installed ${spec} || trixie_missing=1
  done
  for spec in docker-registry apache2-utils curl; do
    package_installed "${spec}" || bookworm_missing+=("${spec}")
  done
  if [[ ${trixie_missing} -eq 0 && ${#bookworm_missing[@]} -eq 0 ]]; then
    return
  fi

  ensure_trixie_source
  local to_install=("${bookworm_missing[@]}")
  if [[ ${trixie_missing} -eq 1 ]]; then
    # Per-package suite suffix: '-t trixie' would upgrade libc and half the system,
    # and bookworm's runc must stay (trixie's needs a newer libc).
    to_install+=(docker.io/trixie docker-cli/trixie docker-buildx/trixie containerd/trixie)
  fi
  log "installing: ${to_install[*]}"
  with_services_blocked apt_get update
  with_services_blocked apt_get install --no-install-recommends "${to_install[@]}"
}

# Without systemd, postinst scripts would start docker and docker-registry with their
# default configuration; the standard policy-rc.d (exit 101) stops that.
with_services_blocked() {
  local policy=/usr/sbin/policy-rc.d created=0 rc=0
  if [[ ! -e "${policy}" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"${policy}"
    chmod 755 "${policy}"
    created=1
  fi
  ( "$@" ) || rc=$?
  if [[ ${created} -eq 1 ]]; then rm -f "${policy}"; fi
  return "${rc}"
}

# The docker CLI first on PATH (/usr/local/bin/docker here) may not search the directory
# Debian's docker-buildx installs into; link it into a system directory the CLI searches.
ensure_buildx_plugin() {
  if docker buildx version >/dev/null 2>&1; then
    return
  fi
  [[ -x "${SYSTEM_PLUGIN_DIR}/docker-buildx" ]] \
    || die "buildx plugin not found at ${SYSTEM_PLUGIN_DIR}/docker-buildx (package docker-buildx)"
  mkdir -p "${LOCAL_PLUGIN_DIR}"
  ln -sfn "${SYSTEM_PLUGIN_DIR}/docker-buildx" "${LOCAL_PLUGIN_DIR}/docker-buildx"
  log "linked ${LOCAL_PLUGIN_DIR}/docker-buildx -> ${SYSTEM_PLUGIN_DIR}/docker-buildx for $(command -v docker)"
  docker buildx version >/dev/null 2>&1 \
    || die "'$(command -v docker) buildx version' still fails: $(docker buildx version 2>&1 | tail -n 3)"
}

# ---------------------------------------------------------------- processes

# True when the pid in file $1 is alive and its command line contains $2.
pidfile_alive() {
  local pidfile=$1 needle=$2 pid cmdline
  [[ -s "${pidfile}" ]] || return 1
  pid=$(<"${pidfile}")
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null) || return 1
  [[ "${cmdline}" == *"${needle}"* ]]
}

# kill -0 is not enough: orphans that died stay zombies until the init process reaps them.
process_running() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n "${state}" && "${state:0:1}" != Z ]]
}

# Starts "$@" detached from this shell (own session, no inherited lock fd); prints its pid.
start_detached() {
  local logfile=$1
  shift
  if [[ -f "${logfile}" ]]; then mv -f "${logfile}" "${logfile}.1"; fi
  setsid nohup "$@" </dev/null >"${logfile}" 2>&1 9>&- &
  echo $!
}

# Sends TERM to the process in pidfile $1 if its command line contains $2; waits, then KILLs.
stop_pidfile_process() {
  local pidfile=$1 needle=$2 what=$3 wait_seconds=$4 pid i
  if ! pidfile_alive "${pidfile}" "${needle}"; then
    log "${what}: not running (as started by this script)"
    rm -f "${pidfile}"
    return
  fi
  pid=$(<"${pidfile}")
  log "${what}: stopping pid ${pid}"
  kill -TERM "${pid}" 2>/dev/null || true
  for ((i = 0; i < wait_seconds * 10; i++)); do
    process_running "${pid}" || break
    sleep 0.1
  done
  if process_running "${pid}"; then
    warn "${what}: pid ${pid} still alive after ${wait_seconds}s, sending KILL"
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  rm -f "${pidfile}"
}

# ---------------------------------------------------------------- docker daemon

docker_up() { docker info >/dev/null 2>&1; }

uses_containerd_snapshotter() {
  [[ "$(docker info -f '{{.DriverStatus}}' 2>/dev/null)" == *io.containerd.snapshotter* ]]
}

write_docker_config() {
  mkdir -p "${DOCKER_DIR}/data"
  cat >"${DOCKER_CONFIG_FILE}" <<EOF
{
  "features": { "containerd-snapshotter": true },
  "iptables": false,
  "hosts": ["unix://${DOCKER_SOCKET}"],
  "data-root": "${DOCKER_DIR}/data",
  "exec-root": "${DOCKER_EXEC_ROOT}",
  "pidfile": "${DOCKER_PIDFILE}"
}
EOF
}

# Pid files left by processes of an earlier session may now name unrelated processes;
# dockerd would refuse to start, or wait for a "containerd" that is not one.
remove_stale_docker_pidfiles() {
  pidfile_alive "${DOCKER_PIDFILE}" dockerd || rm -f "${DOCKER_PIDFILE}"
  local containerd_pidfile="${DOCKER_EXEC_ROOT}/containerd/containerd.pid"
  pidfile_alive "${containerd_pidfile}" containerd || rm -f "${containerd_pidfile}"
}

# Polls until the daemon answers; fails with the log tail when pid $1 dies or time runs out.
wait_for_dockerd() {
  local pid=$1 i
  for ((i = 0; i < STARTUP_TIMEOUT * 4; i++)); do
    if docker_up; then
      return
    fi
    process_running "${pid}" || break
    sleep 0.25
  done
  tail -n 30 "${LOG_DIR}/dockerd.log" >&2 || true
  die "dockerd did not come up within ${STARTUP_TIMEOUT}s (log above: ${LOG_DIR}/dockerd.log)"
}

ensure_dockerd() {
  if docker_up; then
    if ! uses_containerd_snapshotter; then
      warn "reusing a running Docker daemon that does not use the containerd image store" \
        "(DriverStatus: $(docker info -f '{{.DriverStatus}}' 2>/dev/null)); registry cache export may fail"
    fi
    return
  fi
  mkdir -p "${LOG_DIR}"
  if pidfile_alive "${DOCKER_PIDFILE}" dockerd; then
    log "dockerd (pid $(<"${DOCKER_PIDFILE}")) is running but not answering yet; waiting"
    wait_for_dockerd "$(<"${DOCKER_PIDFILE}")"
    return
  fi

  write_docker_config
  remove_stale_docker_pidfiles
  log "starting dockerd (log: ${LOG_DIR}/dockerd.log)"
  local pid
  pid=$(start_detached "${LOG_DIR}/dockerd.log" dockerd --config-file "${DOCKER_CONFIG_FILE}")
  wait_for_dockerd "${pid}"
  log "dockerd is up (pid ${pid})"
  uses_containerd_snapshotter \
    || die "dockerd started without the containerd image store; see ${LOG_DIR}/dockerd.log"
}

# ---------------------------------------------------------------- registries

# Never through a proxy: every address here is loopback.
local_curl() { curl --noproxy '*' --silent --show-error --max-time 5 "$@"; }

# HTTP status of GET /v2/ on registry $1, 000 when nothing answers.
registry_status() {
  local_curl --output /dev/null --write-out '%{http_code}' "http://$1/v2/" 2>/dev/null || true
}

random_password() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# Prints the password stored in $SECRETS_DIR/$1.password, creating it on first use.
password_of() {
  local file="${SECRETS_DIR}/$1.password"
  if [[ ! -s "${file}" ]]; then
    mkdir -p "${SECRETS_DIR}"
    chmod 700 "${SECRETS_DIR}"
    (umask 077 && random_password >"${file}.tmp" && mv "${file}.tmp" "${file}")
  fi
  chmod 600 "${file}"
  cat "${file}"
}

HTPASSWD_REWRITTEN=0

ensure_htpasswd() {
  local aws_password maven_password
  aws_password=$(password_of "${AUTH_USER}")
  maven_password=$(password_of "${MAVEN_USER}")
  # Passwords go to htpasswd on stdin (-i): on a command line every process on the machine could read them.
  if [[ -s "${HTPASSWD_FILE}" ]] \
    && htpasswd -v -i "${HTPASSWD_FILE}" "${AUTH_USER}" <<<"${aws_password}" >/dev/null 2>&1 \
    && htpasswd -v -i "${HTPASSWD_FILE}" "${MAVEN_USER}" <<<"${maven_password}" >/dev/null 2>&1; then
    return
  fi
  (
    umask 077
    { htpasswd -B -i -n "${AUTH_USER}" <<<"${aws_password}" && htpasswd -B -i -n "${MAVEN_USER}" <<<"${maven_password}"; } \
      | grep -v '^$' >"${HTPASSWD_FILE}.tmp"
    mv "${HTPASSWD_FILE}.tmp" "${HTPASSWD_FILE}"
  ) || die "could not write ${HTPASSWD_FILE} with htpasswd"
  log "wrote ${HTPASSWD_FILE} (users ${AUTH_USER}, ${MAVEN_USER})"
  HTPASSWD_REWRITTEN=1
}

# Writes the config of registry $1 (plain|auth) listening on $2.
write_registry_config() {
  local name=$1 port=$2 dir="${STATE}/registry-$1"
  mkdir -p "${dir}/storage"
  {
    cat <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: "${dir}/storage"
  delete:
    enabled: true
http:
  addr: "127.0.0.1:${port}"
EOF
    if [[ "${name}" == auth ]]; then
      cat <<EOF
auth:
  htpasswd:
    realm: layercache-env
    path: "${HTPASSWD_FILE}"
EOF
    fi
  } >"${dir}/config.yml"
}

# Starts registry $1 (plain|auth) on port $2 unless /v2/ already answers with $3 (200|401).
ensure_registry() {
  local name=$1 port=$2 expected=$3 address="127.0.0.1:$2" dir="${STATE}/registry-$1" status
  status=$(registry_status "${address}")
  if [[ "${status}" == "${expected}" ]]; then
    return
  fi
  [[ "${status}" == 000 ]] \
    || die "port ${port} answers GET /v2/ with HTTP ${status}, expected ${expected} from the ${name} registry: something else listens there"

  write_registry_config "${name}" "${port}"
  mkdir -p "${LOG_DIR}"
  log "starting ${name} registry on ${address} (log: ${LOG_DIR}/registry-${name}.log)"
  local pid i
  pid=$(start_detached "${LOG_DIR}/registry-${name}.log" docker-registry serve "${dir}/config.yml")
  echo "${pid}" >"${dir}/registry.pid"
  for ((i = 0; i < STARTUP_TIMEOUT * 10; i++)); do
    if [[ "$(registry_status "${address}")" == "${expected}" ]]; then
      return
    fi
    process_running "${pid}" || break
    sleep 0.1
  done
  tail -n 20 "${LOG_DIR}/registry-${name}.log" >&2 || true
  die "the ${name} registry did not answer on http://${address}/v2/ within ${STARTUP_TIMEOUT}s (log above)"
}

ensure_registries() {
  ensure_registry plain "${PLAIN_PORT}" 200
  ensure_htpasswd
  if [[ ${HTPASSWD_REWRITTEN} -eq 1 && "$(registry_status "${AUTH_REGISTRY}")" == 401 ]]; then
    # It read the old htpasswd file at start-up.
    stop_pidfile_process "${STATE}/registry-auth/registry.pid" "${STATE}/registry-auth/config.yml" "auth registry" 10
  fi
  ensure_registry auth "${AUTH_PORT}" 401
}

# ---------------------------------------------------------------- base image

# True when registry $1 has manifest $2:$3; $4 optionally names the user to authenticate as.
registry_has_manifest() {
  local url="http://$1/v2/$2/manifests/$3" user=${4:-}
  local args=(--fail --output /dev/null --head --header "Accept: ${MANIFEST_ACCEPT}")
  if [[ -z "${user}" ]]; then
    local_curl "${args[@]}" "${url}" 2>/dev/null
    return
  fi
  local password
  password=$(password_of "${user}")
  # Credentials through a config on stdin, not on the command line.
  printf 'user = "%s:%s"\n' "${user}" "${password}" | local_curl "${args[@]}" --config - "${url}" 2>/dev/null
}

# Fills directory $1 with Debian's static busybox as bin/busybox plus links for its applets.
build_busybox_rootfs() {
  local rootfs=$1 download
  download=$(mktemp -d)
  # The temp dir is root-only, so the download cannot be sandboxed as user _apt.
  (cd "${download}" && apt-get download -q -o APT::Sandbox::User=root busybox-static >/dev/null) \
    || { rm -rf "${download}"; die "apt-get download busybox-static failed"; }
  dpkg-deb -x "${download}"/busybox-static_*.deb "${download}/extracted"
  local busybox="${download}/extracted/bin/busybox"
  [[ -x "${busybox}" ]] || busybox="${download}/extracted/usr/bin/busybox"
  [[ -x "${busybox}" ]] || { rm -rf "${download}"; die "no bin/busybox in the busybox-static package"; }

  mkdir -p "${rootfs}/bin" "${rootfs}/etc" "${rootfs}/root" "${rootfs}/tmp"
  chmod 1777 "${rootfs}/tmp"
  install -m 755 "${busybox}" "${rootfs}/bin/busybox"
  rm -rf "${download}"
  local applet
  while read -r applet; do
    [[ -n "${applet}" && "${applet}" != bin/busybox ]] || continue
    mkdir -p "${rootfs}/$(dirname "${applet}")"
    ln -sf /bin/busybox "${rootfs}/${applet}"
  done < <("${rootfs}/bin/busybox" --list-full)
  [[ -L "${rootfs}/bin/sh" ]] || die "busybox --list-full gave no bin/sh; the base image would be unusable"
  echo 'root:x:0:0:root:/root:/bin/sh' >"${rootfs}/etc/passwd"
  echo 'root:x:0:' >"${rootfs}/etc/group"
}

# Makes $PLAIN_REGISTRY/base:1 available in the local image store.
ensure_local_base_image() {
  local image="${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  if docker image inspect "${image}" >/dev/null 2>&1; then
    return
  fi
  if registry_has_manifest "${PLAIN_REGISTRY}" "${BASE_NAME}" "${BASE_TAG}"; then
    docker pull -q "${image}" >/dev/null || die "docker pull ${image} failed"
    return
  fi
  log "building base image ${image} from busybox-static"
  local rootfs
  rootfs=$(mktemp -d)
  build_busybox_rootfs "${rootfs}"
  tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . \
    | docker import --change 'CMD ["/bin/sh"]' - "${image}" >/dev/null \
    || { rm -rf "${rootfs}"; die "docker import of the busybox root filesystem failed"; }
  rm -rf "${rootfs}"
}

push_base_to_auth_registry() {
  local source="${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}" target="${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  docker tag "${source}" "${target}"
  # A throw-away client config, so that ~/.docker/config.json never gets these credentials.
  local client_config output rc=0
  client_config=$(mktemp -d)
  output=$(
    password_of "${AUTH_USER}" \
      | DOCKER_CONFIG="${client_config}" docker login -u "${AUTH_USER}" --password-stdin "${AUTH_REGISTRY}" 2>&1 \
      && DOCKER_CONFIG="${client_config}" docker push -q "${target}" 2>&1
  ) || rc=$?
  rm -rf "${client_config}"
  [[ ${rc} -eq 0 ]] || die "pushing ${target} (logged in as ${AUTH_USER}) failed: ${output}"
}

ensure_base_image() {
  local in_plain=0 in_auth=0
  registry_has_manifest "${PLAIN_REGISTRY}" "${BASE_NAME}" "${BASE_TAG}" && in_plain=1
  registry_has_manifest "${AUTH_REGISTRY}" "${BASE_NAME}" "${BASE_TAG}" "${AUTH_USER}" && in_auth=1
  if [[ ${in_plain} -eq 1 && ${in_auth} -eq 1 ]]; then
    return
  fi
  ensure_local_base_image
  if [[ ${in_plain} -eq 0 ]]; then
    log "pushing ${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
    docker push -q "${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}" >/dev/null \
      || die "docker push ${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG} failed"
  fi
  if [[ ${in_auth} -eq 0 ]]; then
    log "pushing ${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
    push_base_to_auth_registry
  fi
}

# ---------------------------------------------------------------- summary

docker_server_version() { docker version -f '{{.Server.Version}}' 2>/dev/null; }

# "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3" -> "0.13.1+ds1"
buildx_version() { docker buildx version 2>/dev/null | awk 'NR == 1 { print $2 }'; }

write_properties() {
  local tmp="${PROPERTIES_FILE}.tmp"
  (
    umask 077
    cat >"${tmp}" <<EOF
registry.plain=${PLAIN_REGISTRY}
registry.auth=${AUTH_REGISTRY}
registry.auth.user=${AUTH_USER}
registry.auth.password=$(password_of "${AUTH_USER}")
registry.auth.maven.user=${MAVEN_USER}
registry.auth.maven.password=$(password_of "${MAVEN_USER}")
base.image=${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}
base.image.auth=${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}
docker.version=$1
buildx.version=$2
EOF
  )
  if ! cmp -s "${tmp}" "${PROPERTIES_FILE}"; then
    mv "${tmp}" "${PROPERTIES_FILE}"
  else
    rm -f "${tmp}"
  fi
  chmod 600 "${PROPERTIES_FILE}"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  require_root up
  take_lock
  ensure_packages
  ensure_buildx_plugin
  ensure_dockerd
  ensure_registries
  ensure_base_image

  local docker_version buildx
  docker_version=$(docker_server_version) || die "docker version failed"
  buildx=$(buildx_version)
  [[ -n "${buildx}" ]] || die "could not read the buildx version"
  write_properties "${docker_version}" "${buildx}"

  log "ready: Docker ${docker_version} (containerd image store), buildx ${buildx}"
  log "  registry ${PLAIN_REGISTRY} (no auth), registry ${AUTH_REGISTRY} (users ${AUTH_USER}, ${MAVEN_USER})"
  log "  base images ${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}, ${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  log "  settings and passwords: ${PROPERTIES_FILE}; logs: ${LOG_DIR}"
}

cmd_status() {
  local down=0
  report() { # name ok-flag detail
    if [[ $2 -eq 1 ]]; then log "$(printf '%-16s up    %s' "$1" "$3")"; else log "$(printf '%-16s DOWN  %s' "$1" "$3")"; down=1; fi
  }
  if docker_up; then
    local driver=containerd-snapshotter
    uses_containerd_snapshotter || driver="NOT containerd-snapshotter: $(docker info -f '{{.DriverStatus}}' 2>/dev/null)"
    report dockerd 1 "Docker $(docker_server_version) on ${DOCKER_SOCKET}, ${driver}"
  else
    report dockerd 0 "no answer on ${DOCKER_SOCKET}"
  fi
  if docker buildx version >/dev/null 2>&1; then
    report buildx 1 "$(buildx_version) ($(command -v docker))"
  else
    report buildx 0 "'$(command -v docker || echo docker) buildx' not available"
  fi
  local status
  status=$(registry_status "${PLAIN_REGISTRY}")
  report "registry plain" "$([[ ${status} == 200 ]] && echo 1 || echo 0)" "${PLAIN_REGISTRY} (GET /v2/ -> ${status})"
  status=$(registry_status "${AUTH_REGISTRY}")
  report "registry auth" "$([[ ${status} == 401 ]] && echo 1 || echo 0)" "${AUTH_REGISTRY} (GET /v2/ -> ${status})"
  if registry_has_manifest "${PLAIN_REGISTRY}" "${BASE_NAME}" "${BASE_TAG}"; then
    report "base image" 1 "${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  else
    report "base image" 0 "${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG} not readable"
  fi
  if [[ -s "${SECRETS_DIR}/${AUTH_USER}.password" ]] \
    && registry_has_manifest "${AUTH_REGISTRY}" "${BASE_NAME}" "${BASE_TAG}" "${AUTH_USER}"; then
    report "base image auth" 1 "${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  else
    report "base image auth" 0 "${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG} not readable as ${AUTH_USER}"
  fi
  if [[ -s "${PROPERTIES_FILE}" ]]; then
    report properties 1 "${PROPERTIES_FILE}"
  else
    report properties 0 "${PROPERTIES_FILE} missing (run: $0 up)"
  fi
  return "${down}"
}

cmd_down() {
  require_root down
  take_lock
  local name
  for name in plain auth; do
    stop_pidfile_process "${STATE}/registry-${name}/registry.pid" "${STATE}/registry-${name}/config.yml" "${name} registry" 10
  done
  if ! pidfile_alive "${DOCKER_PIDFILE}" dockerd && docker_up; then
    log "dockerd: the running daemon was not started by this script; leaving it"
    return
  fi
  stop_pidfile_process "${DOCKER_PIDFILE}" dockerd dockerd 30
}

main() {
  case "${1:-up}" in
    up) cmd_up ;;
    status) cmd_status ;;
    down) cmd_down ;;
    -h | --help | help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (expected: up, status, down)" ;;
  esac
}

main "$@"
