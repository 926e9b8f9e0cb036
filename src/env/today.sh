# shellcheck shell=bash
# Sourced by env.sh: a second test lane with today's toolchain, next to the main one (Docker 26 and
# buildx 0.13 from trixie) and sharing nothing with it but the registries and the installed
# containerd and runc:
#   - docker.io, docker-cli and docker-buildx from Debian unstable (sid), fetched once with a
#     private apt state and unpacked into $TODAY_DIR (never installed; system binaries and the
#     system's cli-plugins directories stay as they are); re-fetched only when missing, so a
#     rerun is quick (delete $TODAY_DIR/packages.stamp to fetch sid's current versions)
#   - the lane's client config $TODAY_DOCKER_CONFIG with buildx in its cli-plugins directory: the
#     docker CLI searches $DOCKER_CONFIG/cli-plugins before the system's directories
#   - the lane's dockerd with the containerd image store on $TODAY_SOCKET, with its own data-root,
#     exec-root, pidfile, namespaces, bridge and address pools, no iptables rules (like the
#     classic one in classic-docker.sh; both in second-dockerd.sh)
# Use it with DOCKER_HOST=$TODAY_DOCKER_HOST DOCKER_CONFIG=$TODAY_DOCKER_CONFIG and, for the lane's
# docker CLI, $TODAY_BIN_DIR first on PATH. Its docker-container builders use the main lane's BuildKit
# image (v0.13.2, buildkit.sh): the orig-buildkit tarballs of sid's docker.io (28.5.2+dfsg3/4,
# 27.5.1+dfsg4) are missing on the mirror (404). The only newer BuildKit source served is the
# selective copy of BuildKit v0.25.2 in sid's binary package golang-github-docker-docker-dev
# (/usr/share/gocode/src/github.com/moby/buildkit, cmd/buildkitd included); building from it would
# be a new recipe (Go 1.27, sid's Go libraries), not buildkit.sh's.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly TODAY_SUITE=sid
readonly TODAY_PACKAGES=(docker.io docker-cli docker-buildx)
readonly TODAY_DIR="${STATE}/today"
# Only the docker CLI: safe at the front of anyone's PATH.
readonly TODAY_BIN_DIR="${TODAY_DIR}/bin"
# dockerd and docker-proxy: only on the lane daemon's own PATH. On a caller's PATH they would
# shadow the system's dockerd, which env.sh starts by name.
readonly TODAY_SBIN_DIR="${TODAY_DIR}/sbin"
readonly TODAY_DOCKER="${TODAY_BIN_DIR}/docker"
readonly TODAY_DOCKERD="${TODAY_SBIN_DIR}/dockerd"
readonly TODAY_DOCKER_PROXY="${TODAY_SBIN_DIR}/docker-proxy"
readonly TODAY_DOCKER_CONFIG="${TODAY_DIR}/docker-config"
readonly TODAY_BUILDX="${TODAY_DOCKER_CONFIG}/cli-plugins/docker-buildx"
# "package version architecture" of each unpacked package; written last, so it marks a complete fetch.
readonly TODAY_STAMP="${TODAY_DIR}/packages.stamp"
readonly TODAY_CONFIG_FILE="${TODAY_DIR}/daemon.json"
readonly TODAY_PIDFILE="${TODAY_DIR}/dockerd.pid"
readonly TODAY_LOG="${LOG_DIR}/dockerd-today.log"
# Short: the managed containerd's sockets live below the exec-root (unix sockets: 108 bytes).
readonly TODAY_RUN_DIR=/var/run/layercache-today
readonly TODAY_SOCKET="${TODAY_RUN_DIR}/docker.sock"
readonly TODAY_DOCKER_HOST="unix://${TODAY_SOCKET}"
# shellcheck disable=SC2034 # second-dockerd.sh reads the TODAY_ settings by name
readonly TODAY_EXEC_ROOT="${TODAY_RUN_DIR}/exec"
# shellcheck disable=SC2034 # second-dockerd.sh reads the TODAY_ settings by name
readonly TODAY_NAMESPACE=layercache-today
# 10.214.x: outside Docker's default pools and the classic daemon's 10.213.x (see classic-docker.sh).
readonly TODAY_BRIDGE=lc-today0
readonly TODAY_BRIDGE_ADDRESS="${LAYERCACHE_TODAY_BRIDGE_ADDRESS:-10.214.77.1/24}"
# shellcheck disable=SC2034 # second-dockerd.sh reads the TODAY_ settings by name
readonly TODAY_ADDRESS_POOL="${LAYERCACHE_TODAY_ADDRESS_POOL:-10.214.128.0/17}"

# The lane's CLI with the lane's daemon and client config, whatever the caller's environment.
today_docker() { DOCKER_HOST="${TODAY_DOCKER_HOST}" DOCKER_CONFIG="${TODAY_DOCKER_CONFIG}" "${TODAY_DOCKER}" "$@"; }

# "server-version|driver-status" of the lane's daemon; fails when it does not answer.
today_docker_info() {
  [[ -x "${TODAY_DOCKER}" ]] || return 1
  local info
  info=$(today_docker info -f '{{.ServerVersion}}|{{.DriverStatus}}' 2>/dev/null) && [[ -n "${info%%|*}" ]] || return 1
  echo "${info}"
}

today_docker_up() { today_docker_info >/dev/null; }

# ---------------------------------------------------------------- binaries

today_binaries_current() {
  [[ -x "${TODAY_DOCKER}" && -x "${TODAY_DOCKERD}" && -x "${TODAY_DOCKER_PROXY}" && -x "${TODAY_BUILDX}" && -s "${TODAY_STAMP}" ]]
}

# Prints the version of package $1 recorded in the stamp.
today_package_version() { awk -v name="$1" '$1 == name { print $2; exit }' "${TODAY_STAMP}" 2>/dev/null; }

# Set when this run fetched new binaries: a lane daemon still running the old ones is restarted.
TODAY_BINARIES_REFRESHED=0

# Installs file $1 as $2 (mode 755) by renaming, so a running binary is never overwritten in place.
install_binary() {
  mkdir -p "$(dirname "$2")"
  install -m 755 "$1" "$2.new" || die "could not copy $1 to $2.new"
  mv -f "$2.new" "$2" || die "could not rename $2.new to $2"
}

ensure_today_binaries() {
  today_binaries_current && return
  log "today lane: fetching ${TODAY_PACKAGES[*]} from Debian ${TODAY_SUITE} (unpacked into ${TODAY_DIR}, not installed; once)"
  local tmp package deb
  tmp=$(make_temp_dir today)
  # Its own apt state: the system's apt sources, lists and dpkg database are never touched.
  private_apt_init "${tmp}/apt" "${TODAY_SUITE}" deb "$(dpkg --print-architecture)"
  mkdir -p "${tmp}/debs"
  (cd "${tmp}/debs" && private_apt "${tmp}/apt" download "${TODAY_PACKAGES[@]}" >/dev/null) \
    || die "apt-get download of ${TODAY_PACKAGES[*]} from ${TODAY_SUITE} failed"
  : >"${tmp}/stamp"
  for package in "${TODAY_PACKAGES[@]}"; do
    deb=$(compgen -G "${tmp}/debs/${package}_*.deb" | head -n 1) || true
    [[ -n "${deb}" ]] || die "apt-get download ${package} left no .deb in ${tmp}/debs"
    dpkg-deb -x "${deb}" "${tmp}/root" || die "dpkg-deb -x ${deb} failed"
    # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
    dpkg-deb --show --showformat '${Package} ${Version} ${Architecture}\n' "${deb}" >>"${tmp}/stamp"
  done
  local root="${tmp}/root" file
  for file in usr/bin/docker usr/sbin/dockerd usr/sbin/docker-proxy usr/libexec/docker/cli-plugins/docker-buildx; do
    [[ -x "${root}/${file}" ]] || die "the ${TODAY_SUITE} packages have no ${file}"
  done
  # They must run on this release (libc, libsystemd): fail here rather than at the daemon's start.
  "${root}/usr/bin/docker" --version >/dev/null 2>&1 || die "the ${TODAY_SUITE} docker CLI does not run here: $("${root}/usr/bin/docker" --version 2>&1 | tail -n 2)"
  "${root}/usr/sbin/dockerd" --version >/dev/null 2>&1 || die "the ${TODAY_SUITE} dockerd does not run here: $("${root}/usr/sbin/dockerd" --version 2>&1 | tail -n 2)"
  "${root}/usr/libexec/docker/cli-plugins/docker-buildx" version >/dev/null 2>&1 || die "the ${TODAY_SUITE} buildx does not run here"

  rm -f "${TODAY_STAMP}"
  install_binary "${root}/usr/bin/docker" "${TODAY_DOCKER}"
  install_binary "${root}/usr/sbin/dockerd" "${TODAY_DOCKERD}"
  install_binary "${root}/usr/sbin/docker-proxy" "${TODAY_DOCKER_PROXY}"
  install_binary "${root}/usr/libexec/docker/cli-plugins/docker-buildx" "${TODAY_BUILDX}"
  mv -f "${tmp}/stamp" "${TODAY_STAMP}"
  rm -rf "${tmp}"
  TODAY_BINARIES_REFRESHED=1
  log "today lane: unpacked $(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "${TODAY_STAMP}")"
}

# ---------------------------------------------------------------- daemon

ensure_today_bridge() {
  ensure_own_bridge "${TODAY_BRIDGE}" "${TODAY_BRIDGE_ADDRESS}" "the today lane's dockerd" \
    "LAYERCACHE_TODAY_BRIDGE_ADDRESS and LAYERCACHE_TODAY_ADDRESS_POOL"
}

# "server-version|driver-status" of the lane's daemon, from one 'docker info' per run (the lane's
# CLI asks every plugin for its metadata there: half a second each time).
TODAY_DOCKER_INFO=""

# Dies unless the daemon on $TODAY_SOCKET answers and uses the containerd image store (what the
# lane is for); reads TODAY_DOCKER_INFO when it is not set yet.
require_today_snapshotter() {
  [[ -n "${TODAY_DOCKER_INFO}" ]] || TODAY_DOCKER_INFO=$(today_docker_info) || die "the today lane's dockerd stopped answering; see ${TODAY_LOG}"
  [[ "${TODAY_DOCKER_INFO#*|}" == *io.containerd.snapshotter* ]] \
    || die "the daemon on ${TODAY_SOCKET} does not use the containerd image store (${TODAY_DOCKER_INFO#*|}): not started by this script? see ${TODAY_LOG}"
}

ensure_today_dockerd() {
  if [[ ${TODAY_BINARIES_REFRESHED} -eq 1 ]] && pidfile_alive "${TODAY_PIDFILE}" "${TODAY_CONFIG_FILE}"; then
    log "today lane: restarting its dockerd for the new binaries"
    stop_today_dockerd
  fi
  if TODAY_DOCKER_INFO=$(today_docker_info); then
    require_today_snapshotter
    return
  fi
  mkdir -p "${LOG_DIR}" "${TODAY_RUN_DIR}"
  if wait_for_running_second_dockerd TODAY "today lane's dockerd" today_docker_up; then
    require_today_snapshotter
    return
  fi
  ensure_today_bridge
  # ip6tables: Docker 27+ turns it on by default; off, like iptables, so the lane adds no firewall rules.
  write_second_dockerd_config TODAY true '"ip6tables": false,'
  log "today lane: starting dockerd $(today_package_version docker.io) on ${TODAY_SOCKET} (log: ${TODAY_LOG})"
  # The lane's directory comes first on the daemon's PATH for its docker-proxy; containerd and runc
  # are the system's.
  launch_second_dockerd TODAY "today lane's dockerd" today_docker_up \
    env PATH="${TODAY_SBIN_DIR}:${PATH}" "${TODAY_DOCKERD}" --config-file "${TODAY_CONFIG_FILE}"
  require_today_snapshotter
  log "today lane's dockerd is up (pid ${SECOND_DOCKERD_PID})"
  check_main_bridge || true
}

stop_today_dockerd() {
  if ! pidfile_alive "${TODAY_PIDFILE}" "${TODAY_CONFIG_FILE}" && today_docker_up; then
    log "today lane's dockerd: the daemon on ${TODAY_SOCKET} was not started by this script; leaving it"
    return
  fi
  stop_second_dockerd TODAY "today lane's dockerd"
}

# ---------------------------------------------------------------- versions, properties

# What the lane reports, read by ensure_today_lane for the summary and env.properties.
TODAY_DOCKER_VERSION=""
TODAY_BUILDX_VERSION=""

# Reads the buildx version as a user of the lane sees it (its CLI, its client config); fails when
# 'docker buildx' is missing or not the lane's own plugin. Needs no daemon.
today_buildx_version() {
  local line
  line=$(today_docker buildx version 2>/dev/null) || return 1
  # "github.com/docker/buildx 0.29.1+ds1 0.29.1+ds1-4": the third word is the package version.
  [[ "$(awk 'NR == 1 { print $3 }' <<<"${line}")" == "$(today_package_version docker-buildx)" ]] || return 1
  TODAY_BUILDX_VERSION=$(awk 'NR == 1 { print $2 }' <<<"${line}")
}

ensure_today_lane() {
  ensure_today_binaries
  ensure_today_dockerd
  TODAY_DOCKER_VERSION=${TODAY_DOCKER_INFO%%|*}
  today_buildx_version \
    || die "today lane: 'docker buildx version' with DOCKER_CONFIG=${TODAY_DOCKER_CONFIG} does not run the lane's buildx $(today_package_version docker-buildx):" \
      "$(today_docker buildx version 2>&1 | head -n 2)"
}

# The today.* lines of env.properties. Its docker-container builders run the main lane's
# BuildKit image (see the header).
today_properties() {
  cat <<EOF
today.docker.host=${TODAY_DOCKER_HOST}
today.docker.config=${TODAY_DOCKER_CONFIG}
today.docker.bin=${TODAY_BIN_DIR}
today.docker.version=${TODAY_DOCKER_VERSION}
today.docker.cli.version=$(today_package_version docker-cli)
today.buildx.version=${TODAY_BUILDX_VERSION}
today.packages=$(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "${TODAY_STAMP}")
today.buildkit.image=${BUILDKIT_IMAGE}
EOF
}

# Replaces the today.* lines of an existing env.properties ('today-up' alone; 'up' writes it whole).
update_today_properties() {
  [[ -s "${PROPERTIES_FILE}" ]] || return 0
  local tmp="${PROPERTIES_FILE}.tmp"
  (
    umask 077
    { grep -v '^today\.' "${PROPERTIES_FILE}" || true; today_properties; } >"${tmp}"
  )
  if cmp -s "${tmp}" "${PROPERTIES_FILE}"; then rm -f "${tmp}"; else mv -f "${tmp}" "${PROPERTIES_FILE}"; fi
  chmod 600 "${PROPERTIES_FILE}"
}

# The status lines of the lane (report is cmd_status's).
today_status() {
  local info
  if info=$(today_docker_info); then
    if [[ "${info#*|}" == *io.containerd.snapshotter* ]]; then
      report "today dockerd" 1 "Docker ${info%%|*} on ${TODAY_DOCKER_HOST}, containerd-snapshotter"
    else
      report "today dockerd" 0 "${TODAY_DOCKER_HOST} answers but does not use the containerd image store"
    fi
  else
    report "today dockerd" 0 "no answer on ${TODAY_DOCKER_HOST}"
  fi
  if today_binaries_current && today_buildx_version; then
    report "today buildx" 1 "${TODAY_BUILDX_VERSION} (DOCKER_CONFIG=${TODAY_DOCKER_CONFIG}), CLI $(today_package_version docker-cli) in ${TODAY_BIN_DIR}"
  else
    report "today buildx" 0 "${TODAY_BUILDX} missing or not what 'docker buildx' runs with DOCKER_CONFIG=${TODAY_DOCKER_CONFIG}"
  fi
}
