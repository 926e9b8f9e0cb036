# shellcheck shell=bash
# Sourced by env.sh: a second dockerd with the CLASSIC image store (what CodeBuild-style Docker
# hosts run), next to the main one and sharing nothing with it: own socket, data-root, exec-root,
# pidfile, managed containerd and namespaces, own bridge and address pools, no iptables rules.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly CLASSIC_DIR="${STATE}/docker-classic"
readonly CLASSIC_CONFIG_FILE="${CLASSIC_DIR}/daemon.json"
readonly CLASSIC_PIDFILE="${CLASSIC_DIR}/dockerd.pid"
readonly CLASSIC_LOG="${LOG_DIR}/dockerd-classic.log"
# Short: the managed containerd's sockets live below the exec-root (unix sockets: 108 bytes).
readonly CLASSIC_RUN_DIR=/var/run/layercache-classic
readonly CLASSIC_SOCKET="${CLASSIC_RUN_DIR}/docker.sock"
readonly CLASSIC_DOCKER_HOST="unix://${CLASSIC_SOCKET}"
readonly CLASSIC_EXEC_ROOT="${CLASSIC_RUN_DIR}/exec"
readonly CLASSIC_NAMESPACE=layercache-classic
# Bridge names are limited to 15 characters. 10.x is outside Docker's default address pools
# (172.17-31.x, 192.168.x), so the main daemon never hands these out.
readonly CLASSIC_BRIDGE=lc-classic0
readonly CLASSIC_BRIDGE_ADDRESS="${LAYERCACHE_CLASSIC_BRIDGE_ADDRESS:-10.213.77.1/24}"
readonly CLASSIC_ADDRESS_POOL="${LAYERCACHE_CLASSIC_ADDRESS_POOL:-10.213.128.0/17}"
readonly MAIN_BRIDGE=docker0

classic_docker() { DOCKER_HOST="${CLASSIC_DOCKER_HOST}" docker "$@"; }

# Prints the storage driver status of the classic daemon; fails when it does not answer.
classic_driver_status() { classic_docker info -f '{{.Driver}} {{.DriverStatus}}' 2>/dev/null; }

classic_docker_up() { classic_driver_status >/dev/null; }

# Why the main daemon's docker0 can vanish: at start-up dockerd deletes its stale default "bridge"
# network and then, when default-address-pools are set, the link named docker0 whatever its own
# bridge is called (moby's removeDefaultBridgeInterface; "bridge": "none" does it on every start).
# A second dockerd therefore deletes the MAIN daemon's bridge from its second start on, silently.
# Hence: the classic daemon's network store is removed before each start (no stale network), and
# docker0 is snapshotted before the classic daemon starts or stops and put back if it went, also
# when the start or stop fails half-way (on_exit calls restore_main_bridge). The today lane's
# dockerd (today.sh) does the same.
MAIN_BRIDGE_SNAPSHOT=""

snapshot_main_bridge() {
  MAIN_BRIDGE_SNAPSHOT=""
  [[ -e "/sys/class/net/${MAIN_BRIDGE}" ]] || return 0
  MAIN_BRIDGE_SNAPSHOT="$(<"/sys/class/net/${MAIN_BRIDGE}/address") $(ip -4 -o addr show dev "${MAIN_BRIDGE}" | awk '{ print $4 }' | paste -sd ' ')"
}

# Recreates docker0 as it was (same MAC and IPv4 addresses) when it vanished since the snapshot,
# then forgets the snapshot. The main daemon finds its bridge by name when it attaches a
# container, so that is enough.
restore_main_bridge() {
  local snapshot=${MAIN_BRIDGE_SNAPSHOT}
  MAIN_BRIDGE_SNAPSHOT=""
  [[ -n "${snapshot}" && ! -e "/sys/class/net/${MAIN_BRIDGE}" ]] || return 0
  warn "the main daemon's bridge ${MAIN_BRIDGE} vanished while a second dockerd started or stopped; recreating it (${snapshot})"
  local mac address
  read -r mac _ <<<"${snapshot}"
  ip link add "${MAIN_BRIDGE}" type bridge && ip link set "${MAIN_BRIDGE}" address "${mac}" || return 1
  for address in ${snapshot#* }; do
    ip addr add "${address}" dev "${MAIN_BRIDGE}" || return 1
  done
  ip link set "${MAIN_BRIDGE}" up
}

# RUN steps on the main daemon fail without docker0. Say so loudly (cheap: /sys, no ip or docker call).
check_main_bridge() {
  [[ -e "/sys/class/net/${MAIN_BRIDGE}" ]] && return 0
  docker_up || return 0
  warn "the main Docker daemon's bridge ${MAIN_BRIDGE} is GONE ('ip link show ${MAIN_BRIDGE}' fails):" \
    "RUN steps on the main daemon will fail with 'adding interface veth... to bridge ${MAIN_BRIDGE} failed: Device does not exist'." \
    "Restarting the main dockerd recreates it (env.sh down, then env.sh up)."
  return 1
}

# True when $1 (an IPv4 CIDR) overlaps an address or route of a device other than bridge $2.
ipv4_range_in_use() {
  local cidr=$1 bridge=$2 prefix
  prefix=$(cut -d. -f1-2 <<<"${cidr}")
  ip -4 -o addr show | awk -v b="${bridge}" -v p="${prefix}." '$2 != b && index($4, p) == 1 { found = 1 } END { exit !found }' && return 0
  ip -4 route show | awk -v b="${bridge}" -v p="${prefix}." 'index($1, p) == 1 && $0 !~ (" dev " b " ") { found = 1 } END { exit !found }'
}

# Creates bridge $1 with address $2 for a second dockerd ($3 names it in messages) unless it is
# there, and brings it up. $4 names the environment variables that choose another range.
ensure_own_bridge() {
  local bridge=$1 address=$2 what=$3 variables=$4
  if [[ -e "/sys/class/net/${bridge}" ]]; then
    ip -4 -o addr show dev "${bridge}" | grep -q " ${address} " \
      || ip addr add "${address}" dev "${bridge}" \
      || die "could not give bridge ${bridge} the address ${address}"
  else
    ! ipv4_range_in_use "${address}" "${bridge}" \
      || die "${address%.*}.x is already used on this machine (ip addr / ip route); set ${variables} to a free range"
    ip link add "${bridge}" type bridge || die "ip link add ${bridge} type bridge failed"
    ip addr add "${address}" dev "${bridge}" \
      || die "could not give bridge ${bridge} the address ${address}"
    log "created bridge ${bridge} (${address}) for ${what}"
  fi
  ip link set "${bridge}" up || die "ip link set ${bridge} up failed"
}

# Deletes bridge $1 of a second dockerd that has stopped.
remove_own_bridge() {
  [[ -e "/sys/class/net/$1" ]] || return 0
  if ip link delete "$1" 2>/dev/null; then
    log "removed bridge $1"
  else
    warn "could not remove bridge $1"
  fi
}

ensure_classic_bridge() {
  ensure_own_bridge "${CLASSIC_BRIDGE}" "${CLASSIC_BRIDGE_ADDRESS}" "the classic dockerd" \
    "LAYERCACHE_CLASSIC_BRIDGE_ADDRESS and LAYERCACHE_CLASSIC_ADDRESS_POOL"
}

write_classic_docker_config() {
  mkdir -p "${CLASSIC_DIR}/data"
  cat >"${CLASSIC_CONFIG_FILE}" <<EOF
{
  "features": { "containerd-snapshotter": false },
  "hosts": ["${CLASSIC_DOCKER_HOST}"],
  "data-root": "${CLASSIC_DIR}/data",
  "exec-root": "${CLASSIC_EXEC_ROOT}",
  "pidfile": "${CLASSIC_PIDFILE}",
  "containerd-namespace": "${CLASSIC_NAMESPACE}",
  "containerd-plugins-namespace": "${CLASSIC_NAMESPACE}-plugins",
  "bridge": "${CLASSIC_BRIDGE}",
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "default-address-pools": [{ "base": "${CLASSIC_ADDRESS_POOL}", "size": 24 }]
}
EOF
}

ensure_classic_dockerd() {
  local status
  if status=$(classic_driver_status); then
    [[ "${status}" != *io.containerd.snapshotter* ]] \
      || die "the daemon on ${CLASSIC_SOCKET} uses the containerd image store, expected the classic one: not started by this script?"
    return
  fi
  mkdir -p "${LOG_DIR}" "${CLASSIC_RUN_DIR}"
  if pidfile_alive "${CLASSIC_PIDFILE}" "${CLASSIC_CONFIG_FILE}"; then
    log "classic dockerd (pid $(<"${CLASSIC_PIDFILE}")) is running but not answering yet; waiting"
    snapshot_main_bridge
    wait_for_classic_dockerd "$(<"${CLASSIC_PIDFILE}")"
    restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
    return
  fi
  ensure_classic_bridge
  write_classic_docker_config
  rm -f "${CLASSIC_PIDFILE}"
  # See snapshot_main_bridge: without a stale default network dockerd leaves docker0 alone. This
  # forgets the classic daemon's user-defined networks, which tests create and remove themselves.
  rm -f "${CLASSIC_DIR}/data/network/files/local-kv.db"
  remove_stale_containerd_pidfile "${CLASSIC_EXEC_ROOT}"
  log "starting the classic-image-store dockerd on ${CLASSIC_SOCKET} (log: ${CLASSIC_LOG})"
  local pid
  # Until restore_main_bridge below, a die or signal restores docker0 through on_exit.
  snapshot_main_bridge
  pid=$(start_detached "${CLASSIC_LOG}" dockerd --config-file "${CLASSIC_CONFIG_FILE}")
  wait_for_classic_dockerd "${pid}"
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
  status=$(classic_driver_status) || die "the classic dockerd stopped answering; see ${CLASSIC_LOG}"
  [[ "${status}" != *io.containerd.snapshotter* ]] \
    || die "the classic dockerd started with the containerd image store; see ${CLASSIC_LOG}"
  log "classic dockerd is up (pid ${pid}, storage ${status%% *})"
  check_main_bridge || true
}

wait_for_classic_dockerd() { wait_until_up "the classic dockerd" "$1" "${CLASSIC_LOG}" classic_docker_up; }

stop_classic_dockerd() {
  if ! pidfile_alive "${CLASSIC_PIDFILE}" "${CLASSIC_CONFIG_FILE}" && classic_driver_status >/dev/null; then
    log "classic dockerd: the daemon on ${CLASSIC_SOCKET} was not started by this script; leaving it"
    return
  fi
  snapshot_main_bridge
  stop_pidfile_process "${CLASSIC_PIDFILE}" "${CLASSIC_CONFIG_FILE}" "classic dockerd" 30
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
  unmount_below "${CLASSIC_RUN_DIR}"
  remove_own_bridge "${CLASSIC_BRIDGE}"
  if check_main_bridge; then
    docker_up && log "main daemon's bridge ${MAIN_BRIDGE} is still there"
  fi
  return 0
}
