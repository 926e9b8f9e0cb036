# shellcheck shell=bash
# Sourced by env.sh: a Java runtime base image without Docker Hub, for the Java-layers tests and
# the benchmark against Jib. Made from the machine's own JDK (17 or newer): jlink writes a runtime
# of the Java SE modules when the JDK has its jmods, otherwise the JDK's runtime files are copied.
# The shared libraries its binaries need come from this machine (ldd), busybox gives it a shell.
# Pushed once as $PLAIN_REGISTRY/jre:17 and reused afterwards.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly JRE_NAME=jre
readonly JRE_TAG=17
readonly JRE_IMAGE="${PLAIN_REGISTRY}/${JRE_NAME}:${JRE_TAG}"
# Enough for a Spring Boot web service: java.se plus what Spring and Tomcat use beyond it.
readonly JRE_MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.naming.dns

# The JDK of the machine's java command, when it is 17 or newer and has jlink.
machine_jdk() {
  local java home
  java=$(readlink -f "$(command -v java)") || die "no java command on this machine"
  home=$(dirname "$(dirname "${java}")")
  [[ -x "${home}/bin/jlink" || -d "${home}/lib" ]] || die "cannot find the JDK of ${java}"
  echo "${home}"
}

# Writes a Java runtime to $2/opt/java from JDK $1.
write_java_runtime() {
  local jdk=$1 rootfs=$2
  mkdir -p "${rootfs}/opt"
  if [[ -x "${jdk}/bin/jlink" && -d "${jdk}/jmods" ]]; then
    "${jdk}/bin/jlink" --add-modules "${JRE_MODULES}" --strip-debug --no-man-pages --no-header-files \
      --output "${rootfs}/opt/java" >/dev/null || die "jlink of ${JRE_MODULES} from ${jdk} failed"
  else
    mkdir -p "${rootfs}/opt/java"
    # -L: Debian's JDK links its conf and security files from /etc.
    cp -rL "${jdk}/bin" "${jdk}/conf" "${jdk}/lib" "${jdk}/release" "${rootfs}/opt/java/" \
      || die "copying the runtime of ${jdk} failed"
  fi
  # jlink keeps Debian's symbolic links into /etc (the CA store among them): the image needs the files.
  local link target
  while IFS= read -r link; do
    target=$(readlink -f "${link}") || continue
    if [[ -f "${target}" ]]; then rm -f "${link}" && cp "${target}" "${link}"; fi
  done < <(find "${rootfs}/opt/java" -type l)
}

# Copies every shared library that the ELF files below $1/opt/java load (and the loader) into $1.
copy_shared_libraries() {
  local rootfs=$1 file lib
  while IFS= read -r file; do
    while IFS= read -r lib; do
      [[ -n "${lib}" && -f "${lib}" && ! -e "${rootfs}${lib}" ]] || continue
      mkdir -p "${rootfs}$(dirname "${lib}")"
      cp -L "${lib}" "${rootfs}${lib}"
    done < <(ldd "${file}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  done < <(find "${rootfs}/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
}

ensure_jre_image() {
  if registry_has_manifest "${PLAIN_REGISTRY}" "${JRE_NAME}" "${JRE_TAG}"; then
    return
  fi
  local jdk rootfs started=${SECONDS}
  jdk=$(machine_jdk)
  log "jre: building ${JRE_IMAGE} from ${jdk} (busybox, the runtime, its shared libraries)"
  rootfs=$(make_temp_dir jre-rootfs)
  build_busybox_rootfs "${rootfs}"
  write_java_runtime "${jdk}" "${rootfs}"
  copy_shared_libraries "${rootfs}"
  mkdir -p "${rootfs}/usr/bin"
  ln -sf /opt/java/bin/java "${rootfs}/usr/bin/java"
  "${rootfs}/opt/java/bin/java" -version >/dev/null 2>&1 || die "the runtime in ${rootfs}/opt/java does not start"
  tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . \
    | docker import --change 'ENV JAVA_HOME=/opt/java' \
      --change 'ENV PATH=/opt/java/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "${JRE_IMAGE}" >/dev/null \
    || die "docker import of the Java runtime failed"
  rm -rf "${rootfs}"
  docker push -q "${JRE_IMAGE}" >/dev/null || die "docker push ${JRE_IMAGE} failed"
  log "jre:       done in $((SECONDS - started))s"
}
