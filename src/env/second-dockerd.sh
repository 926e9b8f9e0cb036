# shellcheck shell=bash
# Sourced by env.sh: what the two dockerds beside the main one (classic-docker.sh, today.sh) share.
# Each is described by readonly variables with its own prefix (CLASSIC, TODAY): _DIR (its data
# below _DIR/data), _CONFIG_FILE, _PIDFILE, _LOG, _RUN_DIR, _DOCKER_HOST, _EXEC_ROOT, _NAMESPACE,
# _BRIDGE and _ADDRESS_POOL. It shares nothing with the main daemon: own socket, data-root,
# exec-root, pidfile, managed containerd and namespaces, own bridge and address pools, no iptables
# rules.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly MAIN_BRIDGE=docker0

# Why the main daemon's docker0 can vanish: at start-up dockerd deletes its stale default "bridge"
# network and then, when default-address-pools are set, the link named docker0 whatever its own
# bridge is called (moby's removeDefaultBridgeInterface; "bridge": "none" does it on every start).
# A second dockerd therefore deletes the MAIN daemon's bridge from its second start on, silently.
# Hence: the classic daemon's network store is removed before each start (no stale network), and
# docker0 is snapshotted before the classic daemon starts or stops and put back if it went, also
# when the start or stop fails half-way (on_exit calls restore_main_bridge).
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

# The daemon.json of the second dockerd with prefix $1: the containerd image store when $2 is
# true, the classic one when false; lines $3... (each ending in a comma) after "iptables".
write_second_dockerd_config() {
  local -n dir="$1_DIR" config_file="$1_CONFIG_FILE" docker_host="$1_DOCKER_HOST" exec_root="$1_EXEC_ROOT" \
    pidfile="$1_PIDFILE" namespace="$1_NAMESPACE" bridge="$1_BRIDGE" address_pool="$1_ADDRESS_POOL"
  local snapshotter=$2 line
  shift 2
  mkdir -p "${dir}/data"
  {
    cat <<EOF
{
  "features": { "containerd-snapshotter": ${snapshotter} },
  "hosts": ["${docker_host}"],
  "data-root": "${dir}/data",
  "exec-root": "${exec_root}",
  "pidfile": "${pidfile}",
  "containerd-namespace": "${namespace}",
  "containerd-plugins-namespace": "${namespace}-plugins",
  "bridge": "${bridge}",
  "iptables": false,
EOF
    for line; do echo "  ${line}"; done
    cat <<EOF
  "ip-forward": false,
  "ip-masq": false,
  "default-address-pools": [{ "base": "${address_pool}", "size": 24 }]
}
EOF
  } >"${config_file}"
}

# When the pidfile of the second dockerd with prefix $1 names a running one, waits until it answers
# to $3 (it is $2 in messages) and succeeds; fails when there is none.
wait_for_running_second_dockerd() {
  local -n pidfile="$1_PIDFILE" config_file="$1_CONFIG_FILE" log_file="$1_LOG"
  local what=$2 up_check=$3 pid
  pidfile_alive "${pidfile}" "${config_file}" || return 1
  pid=$(<"${pidfile}")
  log "${what} (pid ${pid}) is running but not answering yet; waiting"
  snapshot_main_bridge
  wait_until_up "the ${what}" "${pid}" "${log_file}" "${up_check}"
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
}

# Starts command $4... as the second dockerd with prefix $1 (its bridge and daemon.json ready) and
# waits until it answers to $3 (it is $2 in messages); leaves its pid in SECOND_DOCKERD_PID.
SECOND_DOCKERD_PID=""
launch_second_dockerd() {
  local -n pidfile="$1_PIDFILE" dir="$1_DIR" exec_root="$1_EXEC_ROOT" log_file="$1_LOG"
  local what=$2 up_check=$3
  shift 3
  rm -f "${pidfile}"
  # See snapshot_main_bridge: without a stale default network dockerd leaves docker0 alone. This
  # forgets the daemon's user-defined networks, which tests create and remove themselves.
  rm -f "${dir}/data/network/files/local-kv.db"
  remove_stale_containerd_pidfile "${exec_root}"
  # Until restore_main_bridge below, a die or signal restores docker0 through on_exit.
  snapshot_main_bridge
  SECOND_DOCKERD_PID=$(start_detached "${log_file}" "$@")
  wait_until_up "the ${what}" "${SECOND_DOCKERD_PID}" "${log_file}" "${up_check}"
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
}

# Stops the second dockerd with prefix $1 (it is $2 in messages), then removes its mounts and its
# bridge; docker0 stays.
stop_second_dockerd() {
  local -n pidfile="$1_PIDFILE" config_file="$1_CONFIG_FILE" run_dir="$1_RUN_DIR" bridge="$1_BRIDGE"
  local what=$2
  snapshot_main_bridge
  stop_pidfile_process "${pidfile}" "${config_file}" "${what}" 30
  restore_main_bridge || warn "could not recreate ${MAIN_BRIDGE}"
  unmount_below "${run_dir}"
  remove_own_bridge "${bridge}"
  if check_main_bridge; then
    docker_up && log "main daemon's bridge ${MAIN_BRIDGE} is still there"
  fi
  return 0
}
