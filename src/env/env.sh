#!/usr/bin/env bash
# Container test environment for this project, on Debian 12 (bookworm) as root:
#   - Docker Engine 26 + buildx from Debian trixie, dockerd with the containerd image store
#   - two local registries (distribution 2.8) on 127.0.0.1: a plain one and an htpasswd one
#   - a tiny busybox base image pushed to both registries
#   - BuildKit (buildkitd, buildctl) built once from Debian trixie's docker.io source, its image
#     REGISTRY/moby/buildkit:buildx-stable-1 in both registries and a buildkitd.toml (buildkit.sh)
#   - a remote buildkitd on 127.0.0.1:5511 (buildkit.sh)
#   - a second dockerd with the classic image store (classic-docker.sh)
#   - qemu-aarch64 (unpacked, not installed), an arm64 base and an amd64+arm64 index (multiarch.sh)
#   - a Java runtime base image made from the machine's JDK, REGISTRY/jre:17 (jre.sh)
#   - the "today" lane: Docker, its CLI and buildx from Debian unstable, unpacked (not installed),
#     its own dockerd and DOCKER_CONFIG; env.properties' today.* keys say how to use it (today.sh)
# Installs what is missing and starts what is down; a quick no-op when all is up.
#
# Usage: env.sh [up|status|down|emulation-on|emulation-off|today-up|today-down]
#   up             (default) install and start everything, write $STATE/env.properties
#   status         print what is up or down; exit 1 if anything is down
#   down           stop what this script started (packages and built files stay), emulation off
#   emulation-on   register qemu-aarch64 with binfmt_misc (kernel-wide!) for linux/arm64 builds
#   emulation-off  remove that registration
#   today-up       only the today lane: fetch it if missing, start its dockerd, update today.*
#   today-down     stop only the today lane's dockerd
#
# Environment: LAYERCACHE_ENV_DIR (default /var/lib/layercache-env),
#              LAYERCACHE_REGISTRY_PORT (5501), LAYERCACHE_AUTH_REGISTRY_PORT (5502),
#              LAYERCACHE_BUILDKIT_PORT (5511, the remote buildkitd)
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
# Every temporary directory of a run, owner-only; removed when the run ends and at the start of 'up'.
readonly TEMP_ROOT="${STATE}/tmp"

readonly DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
readonly TRIXIE_SOURCES=/etc/apt/sources.list.d/layercache-trixie.sources
readonly TRIXIE_PIN=/etc/apt/preferences.d/layercache-trixie
readonly SYSTEM_PLUGIN_DIR=/usr/libexec/docker/cli-plugins
readonly LOCAL_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
readonly STARTUP_TIMEOUT=60
readonly POLICY_RC_D=/usr/sbin/policy-rc.d
# The line that marks a policy-rc.d as this script's (a run killed during apt leaves it behind).
readonly POLICY_RC_D_MARK="# layercache-env: temporary, removed when env.sh's apt run ends"
# Commands the scripts need from packages a bare Debian may lack: "command:package".
readonly REQUIRED_TOOLS=(curl:curl htpasswd:apache2-utils docker-registry:docker-registry xz:xz-utils patch:patch ip:iproute2)

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
  [[ "$(id -u)" -eq 0 ]] || die "'$(basename "$0") $1' must run as root ($2); try: sudo $0 $1"
}

# Serialises concurrent 'up'/'down' runs (e.g. a developer and CI on the same machine).
take_lock() {
  mkdir -p "${STATE}"
  exec 9>"${STATE}/.lock"
  flock -w 600 9 || die "another env.sh run holds ${STATE}/.lock for more than 10 minutes"
}

# ---------------------------------------------------------------- packages

# "name|status|version|source-version" lines of the packages ensure_packages checks, from one
# dpkg-query call.
PACKAGE_STATES=""

load_package_states() {
  PACKAGE_STATES=$(dpkg-query -W -f '${Package}|${db:Status-Abbrev}|${Version}|${source:Version}\n' "$@" 2>/dev/null || true)
}

# Prints the version of the source package installed package $1 was built from (without a binNMU's
# +bN: '${source:Version}'); fails when $1 is not installed.
installed_source_version() {
  local line status version source_version
  line=$(awk -F'|' -v name="$1" '$1 == name { print; exit }' <<<"${PACKAGE_STATES}")
  [[ -n "${line}" ]] || line="$1|$(dpkg-query -W -f '${db:Status-Abbrev}|${Version}|${source:Version}' "$1" 2>/dev/null)" || return 1
  IFS='|' read -r _ status version source_version <<<"${line}"
  [[ "${status}" == ii* ]] || return 1
  echo "${source_version:-${version}}"
}

# True when the package is installed, at least in version $2 when given.
package_installed() {
  local name=$1 min_version=${2:-} status version
  status=$(awk -F'|' -v name="${name}" '$1 == name { print $2 "|" $3; exit }' <<<"${PACKAGE_STATES}")
  if [[ -z "${status}" ]]; then
    status=$(dpkg-query -W -f '${db:Status-Abbrev}|${Version}' "${name}" 2>/dev/null) || return 1
  fi
  [[ "${status}" == ii* ]] || return 1
  version=${status#*|}
  [[ -z "${min_version}" ]] || dpkg --compare-versions "${version}" ge "${min_version}"
}

ensure_trixie_source() {
  if [[ ! -f "${TRIXIE_SOURCES}" ]]; then
    [[ -f "${DEBIAN_SOURCES}" ]] || die "${DEBIAN_SOURCES} not found: cannot derive a trixie apt source from it"
    local tmp="${TRIXIE_SOURCES}.tmp"
    # First stanza only (up to the first blank line), with its Suites: line replaced.
    derive_debian_stanza trixie >"${tmp}"
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

# From this system's own release. ca-certificates: the CA bundle goes into the BuildKit image.
readonly BOOKWORM_PACKAGES=(docker-registry apache2-utils curl xz-utils patch iproute2 ca-certificates)

ensure_packages() {
  local trixie_missing=0 bookworm_missing=() spec
  load_package_states docker.io docker-cli docker-buildx containerd "${BOOKWORM_PACKAGES[@]}"
  for spec in "docker.io 26" "docker-cli 26" "docker-buildx 0.13" "containerd 1.7"; do
    # shellcheck disable=SC2086 # spec is "name min-version"
    package_installed ${spec} || trixie_missing=1
  done
  for spec in "${BOOKWORM_PACKAGES[@]}"; do
    package_installed "${spec}" || bookworm_missing+=("${spec}")
  done
  if [[ ${trixie_missing} -eq 0 && ${#bookworm_missing[@]} -eq 0 ]]; then
    return
  fi

  repair_interrupted_dpkg
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
  load_package_states docker.io
}

# Fails early, naming the package, when a command the scripts need is missing.
require_tools() {
  local entry
  for entry in "$@"; do
    command -v "${entry%%:*}" >/dev/null \
      || die "command '${entry%%:*}' not found: install the Debian package ${entry#*:} (apt-get install ${entry#*:})"
  done
}

# A run killed during apt leaves dpkg half-way ('dpkg --audit' lists the packages); finish that first.
repair_interrupted_dpkg() {
  local audit
  audit=$(dpkg --audit 2>&1) || true
  [[ -n "${audit}" ]] || return 0
  warn "dpkg was interrupted (dpkg --audit: $(head -n 3 <<<"${audit}" | tr '\n' ' ')); running dpkg --configure -a"
  with_services_blocked dpkg --force-confdef --force-confold --configure -a || die "dpkg --configure -a failed"
}

# Without systemd, postinst scripts would start docker and docker-registry with their
# default configuration; the standard policy-rc.d (exit 101) stops that. Ours carries
# $POLICY_RC_D_MARK: on_exit removes it, and 'up' removes one that a killed run left.
POLICY_RC_D_CREATED=0

with_services_blocked() {
  local rc=0
  if [[ ! -e "${POLICY_RC_D}" ]]; then
    POLICY_RC_D_CREATED=1
    printf '#!/bin/sh\n%s\nexit 101\n' "${POLICY_RC_D_MARK}" >"${POLICY_RC_D}"
    chmod 755 "${POLICY_RC_D}"
  fi
  ( "$@" ) || rc=$?
  remove_policy_rc_d
  return "${rc}"
}

# Removes $POLICY_RC_D when this run wrote it.
remove_policy_rc_d() {
  [[ ${POLICY_RC_D_CREATED} -eq 1 ]] || return 0
  rm -f "${POLICY_RC_D}"
  POLICY_RC_D_CREATED=0
}

# Removes a policy-rc.d left by a run of this script that was killed (only with our mark).
remove_leftover_policy_rc_d() {
  if [[ ! -f "${POLICY_RC_D}" ]] || ! grep -qxF "${POLICY_RC_D_MARK}" "${POLICY_RC_D}"; then
    return 0
  fi
  rm -f "${POLICY_RC_D}"
  warn "removed ${POLICY_RC_D} left by an earlier run that did not finish"
}

# Output of 'docker buildx version', kept so that it runs once per call of this script.
BUILDX_VERSION_LINE=""

# The docker CLI first on PATH (/usr/local/bin/docker here) may not search the directory
# Debian's docker-buildx installs into; link it into a system directory the CLI searches.
ensure_buildx_plugin() {
  if BUILDX_VERSION_LINE=$(docker buildx version 2>/dev/null); then
    return
  fi
  [[ -x "${SYSTEM_PLUGIN_DIR}/docker-buildx" ]] \
    || die "buildx plugin not found at ${SYSTEM_PLUGIN_DIR}/docker-buildx (package docker-buildx)"
  mkdir -p "${LOCAL_PLUGIN_DIR}"
  ln -sfn "${SYSTEM_PLUGIN_DIR}/docker-buildx" "${LOCAL_PLUGIN_DIR}/docker-buildx"
  log "linked ${LOCAL_PLUGIN_DIR}/docker-buildx -> ${SYSTEM_PLUGIN_DIR}/docker-buildx for $(command -v docker)"
  BUILDX_VERSION_LINE=$(docker buildx version 2>/dev/null) \
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
  # The daemon keeps no descriptor of its caller beyond the three standard ones: an inherited one
  # would hold the caller's locks (this script's own on fd 9, a "flock FILE test.sh" around a test
  # run) and pipes for as long as the daemon lives.
  (
    local fd
    for fd in /proc/"${BASHPID}"/fd/*; do
      fd=${fd##*/}
      if [[ ${fd} -gt 2 ]]; then eval "exec ${fd}>&-"; fi
    done
    exec setsid nohup "$@" </dev/null >"${logfile}" 2>&1
  ) &
  echo $!
}

# Polls "$@" every 0.1 s until it succeeds. When process $2 exits first, or after $STARTUP_TIMEOUT
# seconds, shows the tail of log $3 and dies saying that $1 did not come up.
wait_until_up() {
  local what=$1 pid=$2 logfile=$3 deadline=$((SECONDS + STARTUP_TIMEOUT)) why
  shift 3
  while true; do
    "$@" && return 0
    if ! process_running "${pid}"; then
      why="exited (pid ${pid}) without answering"
      break
    fi
    if [[ ${SECONDS} -ge ${deadline} ]]; then
      why="did not answer within ${STARTUP_TIMEOUT}s"
      break
    fi
    sleep 0.1
  done
  tail -n 30 "${logfile}" >&2 || true
  die "${what} ${why}; log above: ${logfile}"
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

# "server-version|driver-status" of the main daemon, from one 'docker info' call in ensure_dockerd.
MAIN_DOCKER_INFO=""

read_main_docker_info() {
  MAIN_DOCKER_INFO=$(docker info -f '{{.ServerVersion}}|{{.DriverStatus}}' 2>/dev/null) && [[ -n "${MAIN_DOCKER_INFO%%|*}" ]]
}

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
  remove_stale_containerd_pidfile "${DOCKER_EXEC_ROOT}"
}

# The pid file of the containerd a dockerd manages below its exec-root ($1), when it names no containerd.
remove_stale_containerd_pidfile() {
  local pidfile="$1/containerd/containerd.pid"
  pidfile_alive "${pidfile}" containerd || rm -f "${pidfile}"
}

wait_for_dockerd() { wait_until_up dockerd "$1" "${LOG_DIR}/dockerd.log" docker_up; }

ensure_dockerd() {
  if read_main_docker_info; then
    if [[ "${MAIN_DOCKER_INFO#*|}" != *io.containerd.snapshotter* ]]; then
      warn "reusing a running Docker daemon that does not use the containerd image store" \
        "(DriverStatus: ${MAIN_DOCKER_INFO#*|}); registry cache export may fail"
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

# True when GET /v2/ on registry $1 answers with HTTP status $2.
registry_answers() { [[ "$(registry_status "$1")" == "$2" ]]; }

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
  local pid
  pid=$(start_detached "${LOG_DIR}/registry-${name}.log" docker-registry serve "${dir}/config.yml")
  echo "${pid}" >"${dir}/registry.pid"
  wait_until_up "the ${name} registry on http://${address}/v2/" "${pid}" "${LOG_DIR}/registry-${name}.log" \
    registry_answers "${address}" "${expected}"
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

# HEAD of manifest $2:$3 in registry $1 (headers on stdout); $4 optionally names the user to
# authenticate as, $5 overrides the Accept header.
registry_head() {
  local url="http://$1/v2/$2/manifests/$3" user=${4:-}
  local args=(--fail --output /dev/null --dump-header - --head --header "Accept: ${5:-${MANIFEST_ACCEPT}}")
  if [[ -z "${user}" ]]; then
    local_curl "${args[@]}" "${url}" 2>/dev/null
    return
  fi
  local password
  password=$(password_of "${user}")
  # Credentials through a config on stdin, not on the command line.
  printf 'user = "%s:%s"\n' "${user}" "${password}" | local_curl "${args[@]}" --config - "${url}" 2>/dev/null
}

# True when registry $1 has manifest $2:$3; $4 optionally names the user, $5 the Accept header.
registry_has_manifest() { registry_head "$@" >/dev/null; }

# Prints the Docker-Content-Digest of manifest $2:$3 in registry $1 (arguments as registry_head).
registry_digest() {
  local headers
  headers=$(registry_head "$@") || return 1
  awk 'tolower($1) == "docker-content-digest:" { sub(/\r$/, "", $2); print $2 }' <<<"${headers}"
}

# Fills directory $1 with Debian's static busybox for architecture $2 (default: this machine's) as
# bin/busybox plus links for its applets; the optional $3 runs it (qemu for a foreign architecture).
# The package comes through the private apt state of multiarch.sh, never the system's apt lists
# (stale ones would 404). Call it in the main shell (multiarch_apt_init sets a global).
build_busybox_rootfs() {
  local rootfs=$1 arch=${2:-$(dpkg --print-architecture)} runner=${3:-} tmp deb
  tmp=$(make_temp_dir "busybox-${arch}")
  multiarch_apt_init
  deb=$(multiarch_download "busybox-static:${arch}" "${tmp}")
  dpkg-deb -x "${deb}" "${tmp}/extracted" || die "dpkg-deb -x ${deb} failed"
  local busybox="${tmp}/extracted/bin/busybox"
  [[ -f "${busybox}" ]] || busybox="${tmp}/extracted/usr/bin/busybox"
  [[ -f "${busybox}" ]] || die "no bin/busybox in busybox-static:${arch}"
  populate_busybox_rootfs "${rootfs}" "${busybox}" "${runner}"
  rm -rf "${tmp}"
}

# Fills directory $1 with the busybox binary $2 as bin/busybox plus links for its applets; the
# optional $3 runs it (qemu for a foreign architecture's busybox).
populate_busybox_rootfs() {
  local rootfs=$1 busybox=$2 runner=${3:-}
  mkdir -p "${rootfs}/bin" "${rootfs}/etc" "${rootfs}/root" "${rootfs}/tmp"
  chmod 755 "${rootfs}" # the image's /: a temporary directory is owner-only
  chmod 1777 "${rootfs}/tmp"
  install -m 755 "${busybox}" "${rootfs}/bin/busybox"
  local applet applets
  applets=$(${runner:+"${runner}"} "${rootfs}/bin/busybox" --list-full) || die "busybox --list-full failed${runner:+ (run by ${runner})}"
  while read -r applet; do
    [[ -n "${applet}" && "${applet}" != bin/busybox ]] || continue
    mkdir -p "${rootfs}/$(dirname "${applet}")"
    ln -sf /bin/busybox "${rootfs}/${applet}"
  done <<<"${applets}"
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
  rootfs=$(make_temp_dir base-rootfs)
  build_busybox_rootfs "${rootfs}"
  tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . \
    | docker import --change 'CMD ["/bin/sh"]' - "${image}" >/dev/null \
    || die "docker import of the busybox root filesystem failed"
  rm -rf "${rootfs}"
}

# Runs "$@" with DOCKER_CONFIG set to a throw-away client config, so that ~/.docker/config.json
# never gets credentials or manifest lists; dies with message $1 and the output when it fails.
# The config lives below $TEMP_ROOT: on_exit removes it however the run ends.
with_throwaway_docker_config() {
  local what=$1 client_config output rc=0
  shift
  client_config=$(make_temp_dir docker-config)
  output=$(export DOCKER_CONFIG="${client_config}" && "$@" 2>&1) || rc=$?
  rm -rf "${client_config}"
  [[ ${rc} -eq 0 ]] || die "${what} failed: ${output}"
}

# Logs in to the auth registry as $AUTH_USER (password on stdin) and pushes $1.
login_and_push() {
  password_of "${AUTH_USER}" | docker login -u "${AUTH_USER}" --password-stdin "${AUTH_REGISTRY}" && docker push -q "$1"
}

# Pushes local image $1 as $2 to the auth registry, logged in as $AUTH_USER.
push_to_auth_registry() {
  docker tag "$1" "$2"
  with_throwaway_docker_config "pushing $2 (logged in as ${AUTH_USER})" login_and_push "$2"
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
    push_to_auth_registry "${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}" "${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}"
  fi
}

# ---------------------------------------------------------------- summary

docker_server_version() { docker version -f '{{.Server.Version}}' 2>/dev/null; }

# "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3" -> "0.13.1+ds1"
buildx_version() {
  [[ -n "${BUILDX_VERSION_LINE}" ]] || BUILDX_VERSION_LINE=$(docker buildx version 2>/dev/null) || return 0
  awk 'NR == 1 { print $2 }' <<<"${BUILDX_VERSION_LINE}"
}

write_properties() {
  local tmp="${PROPERTIES_FILE}.tmp"
  (
    umask 077
    cat >"${tmp}" <<EOF
registry.plain=${PLAIN_REGISTRY}
registry.auth=${AUTH_REGISTRY}
registry.auth.alias=localhost:${AUTH_PORT}
registry.auth.user=${AUTH_USER}
registry.auth.password=$(password_of "${AUTH_USER}")
registry.auth.maven.user=${MAVEN_USER}
registry.auth.maven.password=$(password_of "${MAVEN_USER}")
base.image=${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}
base.image.auth=${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}
docker.version=$1
buildx.version=$2
buildkit.version=${BUILDKIT_VERSION}
buildkit.source=${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION}
buildkit.buildkitd=${BUILDKITD_BIN}
buildkit.buildctl=${BUILDCTL_BIN}
buildkit.image=${BUILDKIT_IMAGE}
buildkit.image.auth=${BUILDKIT_IMAGE_AUTH}
buildkitd.config=${BUILDKITD_CONFIG}
remote.buildkit.endpoint=${REMOTE_BUILDKIT_ENDPOINT}
remote.buildkit.socket=${REMOTE_BUILDKIT_SOCKET}
classic.docker.host=${CLASSIC_DOCKER_HOST}
base.image.arm64=${BASE_ARM64_IMAGE}
base.image.multi=${BASE_MULTI_IMAGE}
jre.image=${JRE_IMAGE}
qemu.aarch64=${QEMU_AARCH64}
EOF
    today_properties >>"${tmp}"
  )
  if ! cmp -s "${tmp}" "${PROPERTIES_FILE}"; then
    mv "${tmp}" "${PROPERTIES_FILE}"
  else
    rm -f "${tmp}"
  fi
  chmod 600 "${PROPERTIES_FILE}"
}

# ---------------------------------------------------------------- commands

# A new owner-only temporary directory below $TEMP_ROOT, its name starting with $1.
make_temp_dir() {
  mkdir -p "${TEMP_ROOT}"
  chmod 700 "${TEMP_ROOT}"
  mktemp -d "${TEMP_ROOT}/$1.XXXXXX"
}

# Temporary directories of a run (all below $TEMP_ROOT; the others are where older versions of
# these scripts put theirs). Only runs that hold the lock make any.
remove_temp_dirs() {
  local dir
  for dir in "${TEMP_ROOT}" "${STATE}"/.buildkit-rootfs.* "${STATE}"/.apt-multiarch.* "${STATE}"/.qemu.* "${STATE}"/.base-arm64.*; do
    if [[ -d "${dir}" ]]; then rm -rf "${dir}"; fi
  done
  cleanup_multiarch_apt
}

# The EXIT trap of the commands that change things: undoes what a run that ends half-way (die,
# INT, TERM) would leave behind. Each step does nothing when there is nothing to undo.
on_exit() {
  stop_go_build || true
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}: restart the main dockerd"
  remove_policy_rc_d || true
  remove_temp_dirs || true
}

install_exit_trap() {
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# RUN steps on the main daemon fail without its bridge: 'up' must not report ready then.
require_main_bridge() {
  check_main_bridge \
    || die "the main Docker daemon's bridge ${MAIN_BRIDGE} is missing after 'up'. To recover, restart the main dockerd" \
      "(it recreates ${MAIN_BRIDGE}); when env.sh started it: '$0 down', then '$0 up'"
}

cmd_up() {
  require_root up "it installs packages and starts daemons"
  take_lock
  install_exit_trap
  # Left by an earlier run that was killed (SIGKILL runs no trap).
  remove_temp_dirs
  remove_leftover_policy_rc_d
  ensure_packages
  require_tools "${REQUIRED_TOOLS[@]}"
  ensure_buildx_plugin
  ensure_dockerd
  ensure_registries
  ensure_base_image
  ensure_jre_image
  ensure_buildkit_binaries
  ensure_buildkitd_config
  ensure_buildkit_image
  ensure_remote_buildkitd
  ensure_classic_dockerd
  ensure_today_lane
  ensure_multiarch
  require_main_bridge

  local docker_version buildx
  docker_version=${MAIN_DOCKER_INFO%%|*}
  [[ -n "${docker_version}" ]] || docker_version=$(docker_server_version) || die "docker version failed"
  buildx=$(buildx_version)
  [[ -n "${buildx}" ]] || die "could not read the buildx version"
  write_properties "${docker_version}" "${buildx}"

  log "ready: Docker ${docker_version} (containerd image store), buildx ${buildx}"
  log "  registry ${PLAIN_REGISTRY} (no auth), registry ${AUTH_REGISTRY} (users ${AUTH_USER}, ${MAVEN_USER})"
  log "  base images ${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}, ${AUTH_REGISTRY}/${BASE_NAME}:${BASE_TAG}, Java runtime ${JRE_IMAGE}"
  log "  BuildKit ${BUILDKIT_VERSION}: image ${BUILDKIT_IMAGE} (+ ${AUTH_REGISTRY}), config ${BUILDKITD_CONFIG}"
  log "  remote buildkitd ${REMOTE_BUILDKIT_ENDPOINT}; classic-image-store dockerd ${CLASSIC_DOCKER_HOST}"
  log "  today lane: Docker ${TODAY_DOCKER_VERSION}, buildx ${TODAY_BUILDX_VERSION}: DOCKER_HOST=${TODAY_DOCKER_HOST} DOCKER_CONFIG=${TODAY_DOCKER_CONFIG} (CLI in ${TODAY_BIN_DIR})"
  log "  arm64: base index ${BASE_MULTI_IMAGE}, qemu ${QEMU_AARCH64} (emulation $(emulation_registered && echo on || echo "off; 'env.sh emulation-on' registers it"))"
  log "  settings and passwords: ${PROPERTIES_FILE}; logs: ${LOG_DIR}"
}

cmd_status() {
  # As another user the Docker sockets, passwords and pid files are unreadable: all would look DOWN.
  require_root status "it reads the Docker sockets, the registry passwords and pid files"
  local down=0
  report() { # name ok-flag detail
    if [[ $2 -eq 1 ]]; then log "$(printf '%-17s up    %s' "$1" "$3")"; else log "$(printf '%-17s DOWN  %s' "$1" "$3")"; down=1; fi
  }
  report_auth_manifest() { # name repository tag: readable in the auth registry as $AUTH_USER?
    if [[ -s "${SECRETS_DIR}/${AUTH_USER}.password" ]] && registry_has_manifest "${AUTH_REGISTRY}" "$2" "$3" "${AUTH_USER}"; then
      report "$1" 1 "${AUTH_REGISTRY}/$2:$3"
    else
      report "$1" 0 "${AUTH_REGISTRY}/$2:$3 not readable as ${AUTH_USER}"
    fi
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
  report_auth_manifest "base image auth" "${BASE_NAME}" "${BASE_TAG}"
  if registry_has_manifest "${PLAIN_REGISTRY}" "${JRE_NAME}" "${JRE_TAG}"; then
    report "java runtime" 1 "${JRE_IMAGE}"
  else
    report "java runtime" 0 "${JRE_IMAGE} not readable"
  fi
  if [[ -e "/sys/class/net/${MAIN_BRIDGE}" ]]; then
    report "main bridge" 1 "${MAIN_BRIDGE}"
  else
    report "main bridge" 0 "${MAIN_BRIDGE} is gone: RUN steps on the main dockerd fail; restart it"
  fi
  if buildkit_binaries_current; then
    report "buildkit bins" 1 "$("${BUILDKITD_BIN}" --version 2>/dev/null | awk '{ print $3 }') (${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION}) in ${BUILDKIT_BIN_DIR}"
  else
    report "buildkit bins" 0 "${BUILDKITD_BIN}, ${BUILDCTL_BIN} missing or not built from the source of the installed ${BUILDKIT_SOURCE_PACKAGE} ($(buildkit_wanted_source_version || echo 'not installed'))"
  fi
  if [[ -s "${BUILDKITD_CONFIG}" ]]; then
    report "buildkitd.toml" 1 "${BUILDKITD_CONFIG}"
  else
    report "buildkitd.toml" 0 "${BUILDKITD_CONFIG} missing"
  fi
  local digest
  if digest=$(registry_digest "${PLAIN_REGISTRY}" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}") && [[ -n "${digest}" ]]; then
    report "buildkit image" 1 "${BUILDKIT_IMAGE} ${digest}"
  else
    report "buildkit image" 0 "${BUILDKIT_IMAGE} not in the registry"
  fi
  report_auth_manifest "buildkit img auth" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}"
  if [[ -x "${BUILDCTL_BIN}" ]] && remote_buildkitd_answers; then
    report "remote buildkitd" 1 "${REMOTE_BUILDKIT_ENDPOINT}, ${REMOTE_BUILDKIT_SOCKET} (pid $(cat "${REMOTE_BUILDKIT_PIDFILE}" 2>/dev/null || echo '?'))"
  else
    report "remote buildkitd" 0 "no answer on ${REMOTE_BUILDKIT_ENDPOINT}"
  fi
  if status=$(classic_driver_status); then
    if [[ "${status}" == *io.containerd.snapshotter* ]]; then
      report "classic dockerd" 0 "${CLASSIC_DOCKER_HOST} answers but uses the containerd image store"
    else
      report "classic dockerd" 1 "Docker $(classic_docker version -f '{{.Server.Version}}' 2>/dev/null) on ${CLASSIC_DOCKER_HOST}, classic store (${status%% *})"
    fi
  else
    report "classic dockerd" 0 "no answer on ${CLASSIC_DOCKER_HOST}"
  fi
  today_status
  if qemu_current; then
    report "qemu-aarch64" 1 "${QEMU_AARCH64} ($(<"${QEMU_STAMP}"))"
  else
    report "qemu-aarch64" 0 "${QEMU_AARCH64} missing"
  fi
  local index
  if index=$(local_curl --fail --header "Accept: ${INDEX_ACCEPT}" "http://${PLAIN_REGISTRY}/v2/${BASE_MULTI_NAME}/manifests/${BASE_TAG}" 2>/dev/null) \
    && [[ "${index}" == *'"arm64"'* && "${index}" == *'"amd64"'* ]]; then
    report "base image multi" 1 "${BASE_MULTI_IMAGE} (linux/amd64, linux/arm64)"
  else
    report "base image multi" 0 "${BASE_MULTI_IMAGE} not in the registry or not amd64+arm64"
  fi
  # Off is the normal state outside a test run, not "down".
  if emulation_registered; then
    log "$(printf '%-17s on    %s' emulation "(left from a test run?) qemu-aarch64 registered in ${BINFMT_DIR} (flags $(sed -n 's/^flags: //p' "${BINFMT_DIR}/${BINFMT_NAME}"))")"
  elif binfmt_interpreter >/dev/null; then
    log "$(printf '%-17s on    %s' emulation "qemu-aarch64 registered by someone else: $(binfmt_interpreter)")"
  else
    log "$(printf '%-17s off   %s' emulation "(env.sh emulation-on registers qemu-aarch64)")"
  fi
  if [[ -s "${PROPERTIES_FILE}" ]]; then
    report properties 1 "${PROPERTIES_FILE}"
  else
    report properties 0 "${PROPERTIES_FILE} missing (run: $0 up)"
  fi
  return "${down}"
}

# dockerd leaves its bind mount of the host's network namespace behind under its exec root.
unmount_below() {
  local mount_point run_dir
  run_dir=$(readlink -f "$1") # /var/run is a link to /run; mountinfo has real paths
  while read -r mount_point; do
    umount "${mount_point}" 2>/dev/null || warn "could not unmount ${mount_point}"
  done < <(awk -v root="${run_dir}/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

cmd_down() {
  require_root down "it stops daemons"
  take_lock
  install_exit_trap
  emulation_off
  stop_remote_buildkitd
  stop_classic_dockerd
  stop_today_dockerd
  local name
  for name in plain auth; do
    stop_pidfile_process "${STATE}/registry-${name}/registry.pid" "${STATE}/registry-${name}/config.yml" "${name} registry" 10
  done
  if ! pidfile_alive "${DOCKER_PIDFILE}" dockerd && docker_up; then
    log "dockerd: the running daemon was not started by this script; leaving it"
    return
  fi
  stop_pidfile_process "${DOCKER_PIDFILE}" dockerd dockerd 30
  unmount_below "${DOCKER_EXEC_ROOT}"
}

cmd_emulation_on() {
  require_root emulation-on "it registers qemu-aarch64 with binfmt_misc"
  take_lock
  install_exit_trap
  emulation_on
}

# The today lane alone (e.g. to restart it without touching the shared daemons). Its today.* lines
# in env.properties are updated when 'up' has written the file.
cmd_today_up() {
  require_root today-up "it starts a daemon"
  take_lock
  install_exit_trap
  remove_temp_dirs
  require_tools ip:iproute2
  ensure_today_lane
  update_today_properties
  require_main_bridge
  log "today lane ready: Docker ${TODAY_DOCKER_VERSION}, buildx ${TODAY_BUILDX_VERSION}:" \
    "DOCKER_HOST=${TODAY_DOCKER_HOST} DOCKER_CONFIG=${TODAY_DOCKER_CONFIG} (CLI in ${TODAY_BIN_DIR})"
}

cmd_today_down() {
  require_root today-down "it stops a daemon"
  take_lock
  install_exit_trap
  stop_today_dockerd
}

cmd_emulation_off() {
  require_root emulation-off "it removes a binfmt_misc registration"
  take_lock
  emulation_off
}

ENV_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly ENV_SCRIPT_DIR
for library in private-apt buildkit second-dockerd classic-docker multiarch jre today; do
  # shellcheck source=/dev/null
  source "${ENV_SCRIPT_DIR}/${library}.sh"
done
unset library

main() {
  case "${1:-up}" in
    up) cmd_up ;;
    status) cmd_status ;;
    down) cmd_down ;;
    emulation-on) cmd_emulation_on ;;
    emulation-off) cmd_emulation_off ;;
    today-up) cmd_today_up ;;
    today-down) cmd_today_down ;;
    -h | --help | help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (expected: up, status, down, emulation-on, emulation-off, today-up, today-down)" ;;
  esac
}

# Sourced (a test of its functions), it defines them and runs nothing.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
