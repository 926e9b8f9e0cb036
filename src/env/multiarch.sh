# shellcheck shell=bash
# Sourced by env.sh: linux/arm64 builds under emulation.
#   - bookworm's qemu-user-static, fetched and unpacked into the state directory (not installed)
#   - an arm64 busybox base image and an amd64+arm64 index of the base images in the plain registry
#   - emulation_on / emulation_off: the binfmt_misc registration of qemu-aarch64. It is kernel-wide,
#     so 'up' never does it; test.sh switches it on around the test run.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly QEMU_DIR="${STATE}/qemu"
readonly QEMU_AARCH64="${QEMU_DIR}/qemu-aarch64-static"
readonly QEMU_BINFMT_CONF="${QEMU_DIR}/qemu-aarch64.conf"
readonly QEMU_STAMP="${QEMU_DIR}/stamp"
readonly BINFMT_DIR=/proc/sys/fs/binfmt_misc
readonly BINFMT_NAME=qemu-aarch64
# P: keep argv[0] (busybox applets need it), O: open the binary for the interpreter,
# F: open the interpreter now, so it also works inside containers and chroots.
readonly BINFMT_FLAGS=POF

readonly BASE_ARM64_NAME=base-arm64
readonly BASE_MULTI_NAME=base-multi
readonly BASE_ARM64_IMAGE="${PLAIN_REGISTRY}/${BASE_ARM64_NAME}:${BASE_TAG}"
readonly BASE_MULTI_IMAGE="${PLAIN_REGISTRY}/${BASE_MULTI_NAME}:${BASE_TAG}"
readonly INDEX_ACCEPT='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json'

MULTIARCH_APT=""

# A private bookworm apt state for this machine's architecture and arm64 (no dpkg
# --add-architecture), made on first use in a temporary directory that cleanup_multiarch_apt (or
# on_exit) removes. Call it in the main shell.
multiarch_apt_init() {
  [[ -z "${MULTIARCH_APT}" ]] || return 0
  local codename archs=("$(dpkg --print-architecture)")
  [[ "${archs[0]}" == arm64 ]] || archs+=(arm64)
  codename=$(debian_codename)
  MULTIARCH_APT=$(make_temp_dir apt-multiarch)
  log "apt indexes of ${codename} for ${archs[*]} (private apt state, removed afterwards)"
  private_apt_init "${MULTIARCH_APT}" "${codename} ${codename}-updates" deb "${archs[@]}"
}

cleanup_multiarch_apt() {
  if [[ -n "${MULTIARCH_APT}" ]]; then rm -rf "${MULTIARCH_APT}"; fi
  MULTIARCH_APT=""
}

# Downloads package $1 (name:arch) with the private state into directory $2; prints the .deb path.
multiarch_download() {
  local package=$1 dir=$2
  [[ -n "${MULTIARCH_APT}" ]] || die "internal: multiarch_apt_init was not called"
  (cd "${dir}" && private_apt "${MULTIARCH_APT}" download "${package}" >/dev/null) || die "apt-get download ${package} failed"
  local debs=("${dir}/${package%%:*}"_*.deb)
  [[ -f "${debs[0]}" ]] || die "apt-get download ${package} left no .deb in ${dir}"
  echo "${debs[0]}"
}

qemu_current() { [[ -x "${QEMU_AARCH64}" && -s "${QEMU_BINFMT_CONF}" && -s "${QEMU_STAMP}" ]]; }

ensure_qemu() {
  qemu_current && return
  log "fetching qemu-user-static (not installed; only qemu-aarch64-static is kept in ${QEMU_DIR})"
  local tmp deb
  tmp=$(make_temp_dir qemu)
  multiarch_apt_init
  deb=$(multiarch_download "qemu-user-static:$(dpkg --print-architecture)" "${tmp}")
  dpkg-deb -x "${deb}" "${tmp}/root" || die "dpkg-deb -x ${deb} failed"
  [[ -x "${tmp}/root/usr/bin/qemu-aarch64-static" && -f "${tmp}/root/usr/lib/binfmt.d/qemu-aarch64.conf" ]] \
    || die "qemu-user-static has no usr/bin/qemu-aarch64-static or usr/lib/binfmt.d/qemu-aarch64.conf"
  mkdir -p "${QEMU_DIR}"
  install -m 755 "${tmp}/root/usr/bin/qemu-aarch64-static" "${QEMU_AARCH64}.new"
  mv -f "${QEMU_AARCH64}.new" "${QEMU_AARCH64}"
  install -m 644 "${tmp}/root/usr/lib/binfmt.d/qemu-aarch64.conf" "${QEMU_BINFMT_CONF}"
  # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
  dpkg-deb --show --showformat '${Package} ${Version} ${Architecture}\n' "${deb}" >"${QEMU_STAMP}"
  rm -rf "${tmp}"
  log "qemu: $(<"${QEMU_STAMP}") unpacked; ${QEMU_AARCH64}"
}

# Pushes an arm64 busybox image as $BASE_ARM64_IMAGE (rebuilt only when missing).
ensure_arm64_base_image() {
  registry_has_manifest "${PLAIN_REGISTRY}" "${BASE_ARM64_NAME}" "${BASE_TAG}" && return
  log "building the arm64 base image ${BASE_ARM64_IMAGE} from busybox-static:arm64"
  local rootfs
  rootfs=$(make_temp_dir base-arm64)
  # The applet list comes from the arm64 binary itself, run by qemu directly (no binfmt needed).
  build_busybox_rootfs "${rootfs}" arm64 "${QEMU_AARCH64}"
  tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . \
    | docker import --platform linux/arm64 --change 'CMD ["/bin/sh"]' - "${BASE_ARM64_IMAGE}" >/dev/null \
    || die "docker import --platform linux/arm64 of the busybox root filesystem failed"
  rm -rf "${rootfs}"
  docker push -q "${BASE_ARM64_IMAGE}" >/dev/null || die "docker push ${BASE_ARM64_IMAGE} failed"
}

push_multi_index() {
  docker manifest create --insecure "${BASE_MULTI_IMAGE}" "${PLAIN_REGISTRY}/${BASE_NAME}:${BASE_TAG}" "${BASE_ARM64_IMAGE}" \
    && docker manifest push --insecure --purge "${BASE_MULTI_IMAGE}"
}

# The amd64 base and the arm64 base in one index, $BASE_MULTI_IMAGE. 'docker buildx imagetools
# create' refuses a plain-HTTP registry here, 'docker manifest --insecure' does not.
ensure_multi_base_image() {
  if registry_has_manifest "${PLAIN_REGISTRY}" "${BASE_MULTI_NAME}" "${BASE_TAG}" "" "${INDEX_ACCEPT}"; then
    return
  fi
  ensure_arm64_base_image
  log "pushing the amd64+arm64 index ${BASE_MULTI_IMAGE}"
  # Its manifest list store lives in the client config: a throw-away one.
  with_throwaway_docker_config "docker manifest create/push of ${BASE_MULTI_IMAGE}" push_multi_index
  local index
  index=$(local_curl --fail --header "Accept: ${INDEX_ACCEPT}" "http://${PLAIN_REGISTRY}/v2/${BASE_MULTI_NAME}/manifests/${BASE_TAG}" 2>/dev/null) \
    || die "the index ${BASE_MULTI_IMAGE} is not readable back from the registry"
  [[ "${index}" == *'"arm64"'* && "${index}" == *'"amd64"'* ]] \
    || die "the index ${BASE_MULTI_IMAGE} does not list both amd64 and arm64: ${index}"
}

ensure_multiarch() {
  ensure_qemu
  ensure_multi_base_image
  cleanup_multiarch_apt
}

# ---------------------------------------------------------------- binfmt_misc

# Prints the interpreter of the current qemu-aarch64 registration; fails when there is none.
binfmt_interpreter() {
  [[ -f "${BINFMT_DIR}/${BINFMT_NAME}" ]] || return 1
  awk '$1 == "interpreter" { print $2 }' "${BINFMT_DIR}/${BINFMT_NAME}"
}

emulation_registered() {
  local interpreter
  interpreter=$(binfmt_interpreter) || return 1
  [[ "${interpreter}" == "${QEMU_AARCH64}" ]] && grep -qx enabled "${BINFMT_DIR}/${BINFMT_NAME}"
}

ensure_binfmt_mounted() {
  [[ -f "${BINFMT_DIR}/register" ]] && return
  mount -t binfmt_misc binfmt_misc "${BINFMT_DIR}" \
    || die "mount -t binfmt_misc binfmt_misc ${BINFMT_DIR} failed (is the binfmt_misc module there?)"
  log "mounted binfmt_misc on ${BINFMT_DIR}"
}

emulation_on() {
  ensure_qemu
  cleanup_multiarch_apt
  ensure_binfmt_mounted
  local interpreter
  if interpreter=$(binfmt_interpreter); then
    if [[ "${interpreter}" == "${QEMU_AARCH64}" ]]; then
      grep -qx enabled "${BINFMT_DIR}/${BINFMT_NAME}" || echo 1 >"${BINFMT_DIR}/${BINFMT_NAME}"
      log "emulation: linux/arm64 already registered (${QEMU_AARCH64})"
      return
    fi
    warn "emulation: ${BINFMT_NAME} is already registered by someone else (interpreter ${interpreter}); leaving it as it is"
    return
  fi
  # The line of the package's binfmt.d file with its interpreter (field 7) and flags (field 8) replaced.
  local line
  line=$(awk -F: -v OFS=: -v interp="${QEMU_AARCH64}" -v flags="${BINFMT_FLAGS}" \
    'NF >= 7 && $2 == "qemu-aarch64" { $7 = interp; $8 = flags; print; exit }' "${QEMU_BINFMT_CONF}")
  [[ -n "${line}" ]] || die "no qemu-aarch64 line in ${QEMU_BINFMT_CONF}"
  printf '%s' "${line}" >"${BINFMT_DIR}/register" \
    || die "registering ${BINFMT_NAME} in ${BINFMT_DIR}/register failed"
  emulation_registered || die "${BINFMT_NAME} registration did not take effect"
  log "emulation: linux/arm64 registered (${QEMU_AARCH64}, flags ${BINFMT_FLAGS}); kernel-wide until 'env.sh emulation-off'"
}

emulation_off() {
  local interpreter
  if ! interpreter=$(binfmt_interpreter); then
    log "emulation: not registered"
    return
  fi
  if [[ "${interpreter}" != "${QEMU_AARCH64}" ]]; then
    warn "emulation: ${BINFMT_NAME} was registered by someone else (interpreter ${interpreter}); leaving it"
    return
  fi
  echo -1 >"${BINFMT_DIR}/${BINFMT_NAME}" || die "removing ${BINFMT_DIR}/${BINFMT_NAME} failed"
  log "emulation: linux/arm64 registration removed"
}
