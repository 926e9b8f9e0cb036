# shellcheck shell=bash
# Sourced by env.sh: a second dockerd with the CLASSIC image store (what CodeBuild-style Docker
# hosts run), next to the main one and sharing nothing with it (second-dockerd.sh).
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly CLASSIC_DIR="${STATE}/docker-classic"
readonly CLASSIC_CONFIG_FILE="${CLASSIC_DIR}/daemon.json"
readonly CLASSIC_PIDFILE="${CLASSIC_DIR}/dockerd.pid"
readonly CLASSIC_LOG="${LOG_DIR}/dockerd-classic.log"
# Short: the managed containerd's sockets live below the exec-root (unix sockets: 108 bytes).
readonly CLASSIC_RUN_DIR=/var/run/layercache-classic
readonly CLASSIC_SOCKET="${CLASSIC_RUN_DIR}/docker.sock"
readonly CLASSIC_DOCKER_HOST="unix://${CLASSIC_SOCKET}"
# shellcheck disable=SC2034 # second-dockerd.sh reads the CLASSIC_ settings by name
readonly CLASSIC_EXEC_ROOT="${CLASSIC_RUN_DIR}/exec"
# shellcheck disable=SC2034 # second-dockerd.sh reads the CLASSIC_ settings by name
readonly CLASSIC_NAMESPACE=layercache-classic
# Bridge names are limited to 15 characters. 10.x is outside Docker's default address pools
# (172.17-31.x, 192.168.x), so the main daemon never hands these out.
readonly CLASSIC_BRIDGE=lc-classic0
readonly CLASSIC_BRIDGE_ADDRESS="${LAYERCACHE_CLASSIC_BRIDGE_ADDRESS:-10.213.77.1/24}"
# shellcheck disable=SC2034 # second-dockerd.sh reads the CLASSIC_ settings by name
readonly CLASSIC_ADDRESS_POOL="${LAYERCACHE_CLASSIC_ADDRESS_POOL:-10.213.128.0/17}"

classic_docker() { DOCKER_HOST="${CLASSIC_DOCKER_HOST}" docker "$@"; }

# Prints the storage driver status of the classic daemon; fails when it does not answer.
classic_driver_status() { classic_docker info -f '{{.Driver}} {{.DriverStatus}}' 2>/dev/null; }

classic_docker_up() { classic_driver_status >/dev/null; }

ensure_classic_bridge() {
  ensure_own_bridge "${CLASSIC_BRIDGE}" "${CLASSIC_BRIDGE_ADDRESS}" "the classic dockerd" \
    "LAYERCACHE_CLASSIC_BRIDGE_ADDRESS and LAYERCACHE_CLASSIC_ADDRESS_POOL"
}

ensure_classic_dockerd() {
  local status
  if status=$(classic_driver_status); then
    [[ "${status}" != *io.containerd.snapshotter* ]] \
      || die "the daemon on ${CLASSIC_SOCKET} uses the containerd image store, expected the classic one: not started by this script?"
    return
  fi
  mkdir -p "${LOG_DIR}" "${CLASSIC_RUN_DIR}"
  wait_for_running_second_dockerd CLASSIC "classic dockerd" classic_docker_up && return
  ensure_classic_bridge
  write_second_dockerd_config CLASSIC false
  log "starting the classic-image-store dockerd on ${CLASSIC_SOCKET} (log: ${CLASSIC_LOG})"
  launch_second_dockerd CLASSIC "classic dockerd" classic_docker_up dockerd --config-file "${CLASSIC_CONFIG_FILE}"
  status=$(classic_driver_status) || die "the classic dockerd stopped answering; see ${CLASSIC_LOG}"
  [[ "${status}" != *io.containerd.snapshotter* ]] \
    || die "the classic dockerd started with the containerd image store; see ${CLASSIC_LOG}"
  log "classic dockerd is up (pid ${SECOND_DOCKERD_PID}, storage ${status%% *})"
  check_main_bridge || true
}

stop_classic_dockerd() {
  if ! pidfile_alive "${CLASSIC_PIDFILE}" "${CLASSIC_CONFIG_FILE}" && classic_driver_status >/dev/null; then
    log "classic dockerd: the daemon on ${CLASSIC_SOCKET} was not started by this script; leaving it"
    return
  fi
  stop_second_dockerd CLASSIC "classic dockerd"
}
