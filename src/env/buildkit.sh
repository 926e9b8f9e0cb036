# shellcheck shell=bash
# Sourced by env.sh: a real BuildKit daemon without Docker Hub.
#   - buildkitd and buildctl built once from Debian trixie's docker.io source (its orig-buildkit
#     tarball plus Debian's patches) with Debian's Go and Go libraries, all unpacked into a private
#     tree: nothing is installed system-wide; the source version is that of the installed docker.io
#     (mirrors keep only the current one), rebuilt only when it changes
#   - $BUILDKIT_DIR/buildkitd.toml: both local registries plain HTTP, OCI worker only
#   - an image of them (busybox, runc), pushed as REGISTRY/moby/buildkit:buildx-stable-1 to both
#     registries, for buildx's docker-container driver
#   - a 'remote' buildkitd on 127.0.0.1:$REMOTE_BUILDKIT_PORT, for buildx's remote driver
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

readonly BUILDKIT_SOURCE_PACKAGE=docker.io
readonly BUILDKIT_SOURCE_SUITE=trixie
# The BuildKit release series this recipe (Debian's patches, GO111MODULE=off, buildx 0.13) is for.
readonly BUILDKIT_SERIES=v0.13
readonly BUILDKIT_BUILD_TAGS="osusergo netgo static_build"
readonly CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

readonly BUILDKIT_DIR="${STATE}/buildkit"
readonly BUILDKIT_BIN_DIR="${BUILDKIT_DIR}/bin"
readonly BUILDKITD_BIN="${BUILDKIT_BIN_DIR}/buildkitd"
readonly BUILDCTL_BIN="${BUILDKIT_BIN_DIR}/buildctl"
readonly BUILDKIT_BINARIES_STAMP="${BUILDKIT_DIR}/binaries.stamp"
readonly BUILDKIT_IMAGE_STAMP="${BUILDKIT_DIR}/image.stamp"
readonly BUILDKITD_CONFIG="${BUILDKIT_DIR}/buildkitd.toml"
# Deleted after a successful build (about 1.5 GB); kept after a failed one, for a look inside.
readonly BUILDKIT_WORK="${STATE}/buildkit-build"
readonly BUILDKIT_BUILD_LOG="${LOG_DIR}/buildkit-build.log"

readonly BUILDKIT_IMAGE_REPO=moby/buildkit
readonly BUILDKIT_IMAGE_TAG=buildx-stable-1
readonly BUILDKIT_IMAGE="${PLAIN_REGISTRY}/${BUILDKIT_IMAGE_REPO}:${BUILDKIT_IMAGE_TAG}"
readonly BUILDKIT_IMAGE_AUTH="${AUTH_REGISTRY}/${BUILDKIT_IMAGE_REPO}:${BUILDKIT_IMAGE_TAG}"
readonly IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

readonly REMOTE_BUILDKIT_PORT="${LAYERCACHE_BUILDKIT_PORT:-5511}"
readonly REMOTE_BUILDKIT_ENDPOINT="tcp://127.0.0.1:${REMOTE_BUILDKIT_PORT}"
readonly REMOTE_BUILDKIT_DIR="${STATE}/buildkitd-remote"
readonly REMOTE_BUILDKIT_PIDFILE="${REMOTE_BUILDKIT_DIR}/buildkitd.pid"
readonly REMOTE_BUILDKIT_LOG="${LOG_DIR}/buildkitd-remote.log"
# Short and outside the state directory: unix socket paths are limited to 108 bytes.
readonly REMOTE_BUILDKIT_SOCKET_DIR=/run/layercache-buildkit
readonly REMOTE_BUILDKIT_SOCKET="unix://${REMOTE_BUILDKIT_SOCKET_DIR}/buildkitd.sock"

# What the binaries were built from and are (e.g. 26.1.5+dfsg1-9+deb13u1, v0.13.2): set by
# buildkit_binaries_current from the stamp, or by the build.
BUILDKIT_SOURCE_VERSION=""
BUILDKIT_VERSION=""

# The source version to build from: the installed docker.io's. Fails when it is not installed.
buildkit_wanted_source_version() { installed_source_version "${BUILDKIT_SOURCE_PACKAGE}"; }

# The first line of the stamp names what the binaries were built from:
# "source=PACKAGE BUILT-VERSION buildkit=VERSION", plus " for=WANTED" when the source of the
# installed docker.io (WANTED) was gone from the mirror and the current one was built instead.
buildkit_stamp_line() { # built-source-version buildkit-version wanted-source-version
  local line="source=${BUILDKIT_SOURCE_PACKAGE} $1 buildkit=$2"
  [[ "$1" == "$3" ]] || line+=" for=$3"
  echo "${line}"
}

buildkit_binaries_current() {
  [[ -x "${BUILDKITD_BIN}" && -x "${BUILDCTL_BIN}" && -s "${BUILDKIT_BINARIES_STAMP}" ]] || return 1
  local wanted first package source buildkit for
  wanted=$(buildkit_wanted_source_version) || return 1
  read -r first <"${BUILDKIT_BINARIES_STAMP}" || return 1
  [[ "${first}" == source=* ]] || return 1
  read -r package source buildkit for <<<"${first#source=}"
  [[ "${package}" == "${BUILDKIT_SOURCE_PACKAGE}" && "${buildkit}" == "buildkit=${BUILDKIT_SERIES}."* ]] || return 1
  [[ "${source}" == "${wanted}" || "${for}" == "for=${wanted}" ]] || return 1
  BUILDKIT_SOURCE_VERSION=${source}
  BUILDKIT_VERSION=${buildkit#buildkit=}
}

# ---------------------------------------------------------------- building the binaries

BUILD_STEP_START=0

build_step() { # number description
  BUILD_STEP_START=${SECONDS}
  log "buildkit: [$1/6] $2"
  echo "==== [$1/6] $2 ($(date -u +%H:%M:%S))" >>"${BUILDKIT_BUILD_LOG}"
}

build_step_done() { log "buildkit:       done in $((SECONDS - BUILD_STEP_START))s${1:+ ($1)}"; }

build_failed() {
  echo "---- last lines of ${BUILDKIT_BUILD_LOG}:" >&2
  tail -n 25 "${BUILDKIT_BUILD_LOG}" >&2 || true
  die "buildkit: $* (full log: ${BUILDKIT_BUILD_LOG}; work tree kept in ${BUILDKIT_WORK}, removed by the next run)"
}

# Runs "$@" with its output appended to the build log; fails the build with message $1.
build_run() {
  local what=$1
  shift
  "$@" >>"${BUILDKIT_BUILD_LOG}" 2>&1 || build_failed "${what} failed"
}

# The download URIs of source $BUILDKIT_SOURCE_PACKAGE version $2 in the private apt state $1.
source_uris() {
  private_apt "$1" source --print-uris "${BUILDKIT_SOURCE_PACKAGE}=$2" 2>>"${BUILDKIT_BUILD_LOG}"
}

# The newest version of source $BUILDKIT_SOURCE_PACKAGE in the Sources index of private apt state $1.
newest_source_version() {
  local newest="" version
  while read -r version; do
    if [[ -z "${newest}" ]] || dpkg --compare-versions "${version}" gt "${newest}"; then newest=${version}; fi
  done < <(apt-cache -c "$1/apt.conf" showsrc --only-source "${BUILDKIT_SOURCE_PACKAGE}" 2>>"${BUILDKIT_BUILD_LOG}" | sed -n 's/^Version: //p')
  echo "${newest}"
}

# Sets BUILDKIT_SOURCE_VERSION to $2 (the installed docker.io's source version) when the Sources
# index of private apt state $1 still has it, else to the current one there.
choose_source_version() {
  local apt_dir=$1 wanted=$2 current
  BUILDKIT_SOURCE_VERSION=${wanted}
  source_uris "${apt_dir}" "${wanted}" >/dev/null && return
  current=$(newest_source_version "${apt_dir}")
  [[ -n "${current}" ]] || build_failed "no ${BUILDKIT_SOURCE_PACKAGE} source in the ${BUILDKIT_SOURCE_SUITE} Sources index"
  warn "buildkit: the source of the installed ${BUILDKIT_SOURCE_PACKAGE} ${wanted} is gone from the mirror;" \
    "building from the current ${BUILDKIT_SOURCE_PACKAGE} ${current} (upgrading docker.io to it avoids this)"
  BUILDKIT_SOURCE_VERSION=${current}
}

# Downloads, verifies and unpacks the source $BUILDKIT_SOURCE_PACKAGE $BUILDKIT_SOURCE_VERSION into
# $2 in the layout dpkg-source gives, then applies debian/patches and removes the Files-Excluded
# paths; sets BUILDKIT_VERSION to the BuildKit release it contains (it must be $BUILDKIT_SERIES.x).
fetch_docker_io_source() {
  local apt_dir=$1 tree=$2 downloads="${BUILDKIT_WORK}/source" uri name hash
  mkdir -p "${downloads}" "${tree}"
  # 'apt-get source --download-only' gets the tarballs but fails on the .dsc (404 on the mirror),
  # so fetch only the tarballs, each checked against the hash of the signed Sources index.
  local uris
  uris=$(source_uris "${apt_dir}" "${BUILDKIT_SOURCE_VERSION}") \
    || build_failed "source ${BUILDKIT_SOURCE_PACKAGE}=${BUILDKIT_SOURCE_VERSION} not found in the ${BUILDKIT_SOURCE_SUITE} Sources index"
  local count=0
  while read -r uri name _ hash; do
    [[ "${name}" == *.tar.* ]] || continue
    build_run "download of ${name}" /usr/lib/apt/apt-helper -c "${apt_dir}/apt.conf" \
      download-file "${uri//\'/}" "${downloads}/${name}" "${hash}"
    count=$((count + 1))
  done < <(grep "^'" <<<"${uris}")
  [[ ${count} -eq 4 ]] || build_failed "expected 4 source tarballs (orig, orig-buildkit, orig-cli, debian), got ${count}"

  local upstream=${BUILDKIT_SOURCE_VERSION##*:}
  upstream=${upstream%-*}
  local base="${downloads}/${BUILDKIT_SOURCE_PACKAGE}_${upstream}"
  # Main tarball: moby-moby-<commit>/engine/... -> engine/...; components: ./NAME/... -> NAME/...
  build_run "unpacking the main tarball" tar -xJf "${base}.orig.tar.xz" -C "${tree}" --strip-components=2
  local component
  for component in buildkit cli; do
    mkdir -p "${tree}/${component}"
    build_run "unpacking the ${component} tarball" tar -xJf "${base}.orig-${component}.tar.xz" -C "${tree}/${component}" --strip-components=2
  done
  build_run "unpacking debian/" tar -xJf "${downloads}/${BUILDKIT_SOURCE_PACKAGE}_${BUILDKIT_SOURCE_VERSION##*:}.debian.tar.xz" -C "${tree}"
  [[ -d "${tree}/buildkit/cmd/buildkitd" && -d "${tree}/engine" && -f "${tree}/debian/patches/series" ]] \
    || build_failed "unexpected layout of the ${BUILDKIT_SOURCE_PACKAGE} source (no buildkit/cmd/buildkitd, engine/ or debian/patches/series)"

  local patch options applied=0
  while read -r patch options; do
    [[ -n "${patch}" && "${patch}" != \#* ]] || continue
    # shellcheck disable=SC2086 # options such as -p1 are words
    (cd "${tree}" && patch ${options:--p1} --forward --batch --no-backup-if-mismatch -i "debian/patches/${patch}") \
      >>"${BUILDKIT_BUILD_LOG}" 2>&1 || build_failed "Debian patch ${patch} does not apply"
    applied=$((applied + 1))
  done <"${tree}/debian/patches/series"

  # As debian/rules does: every Files-Excluded entry (those marked with '~' are kept) is removed
  # below any top-level directory, then empty vendor directories.
  local entry removed=0 path
  while read -r entry; do
    [[ -n "${entry}" && "${entry}" != \~* ]] || continue
    # shellcheck disable=SC2231 # the entry is a glob pattern relative to each top-level directory
    for path in "${tree}"/*/${entry}; do
      [[ -e "${path}" || -L "${path}" ]] || continue
      rm -rf -- "${path}"
      removed=$((removed + 1))
    done
  done < <(awk '/^Files-Excluded:/ { on = 1; sub(/^Files-Excluded:/, ""); for (i = 1; i <= NF; i++) print $i; next }
                on && (NF == 0 || /^[^ \t]/) { exit }
                on { for (i = 1; i <= NF; i++) print $i }' "${tree}/debian/copyright")
  find "${tree}"/*/vendor -mindepth 1 -type d -empty -delete 2>/dev/null || true

  local vendored
  vendored=$(awk '$1 == "github.com/moby/buildkit" { print $2; exit }' "${tree}/engine/vendor.mod" 2>/dev/null || true)
  [[ "${vendored}" == "${BUILDKIT_SERIES}".* && "${vendored#"${BUILDKIT_SERIES}".}" =~ ^[0-9]+$ ]] \
    || build_failed "the engine of ${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION} requires BuildKit '${vendored}', this script builds only ${BUILDKIT_SERIES}.x"
  BUILDKIT_VERSION=${vendored}
  BUILD_NOTE="BuildKit ${BUILDKIT_VERSION}; ${applied} patches applied, ${removed} excluded paths removed"
}

# Prints the golang-* packages of the dependency closure of packages "$@" against an empty status.
golang_closure() {
  local apt_dir=$1 simulation
  shift
  simulation=$(private_apt "${apt_dir}" install -s "$@" 2>&1) || {
    echo "${simulation}" >>"${BUILDKIT_BUILD_LOG}"
    build_failed "apt-get install -s of ${#} packages failed (dependency resolution against an empty dpkg status)"
  }
  awk '$1 == "Inst" && $2 ~ /^golang-/ { print $2 }' <<<"${simulation}" | sort -u
}

# Downloads the packages "$@" into $BUILDKIT_WORK/debs and unpacks them (dpkg-deb -x) into $1.
download_and_unpack() {
  local apt_dir=$1 root=$2
  shift 2
  mkdir -p "${BUILDKIT_WORK}/debs" "${root}"
  (cd "${BUILDKIT_WORK}/debs" && private_apt "${apt_dir}" download "$@") >>"${BUILDKIT_BUILD_LOG}" 2>&1 \
    || build_failed "apt-get download of ${#} packages failed"
  local name debs=()
  for name in "$@"; do
    debs+=("${BUILDKIT_WORK}/debs/${name}"_*.deb)
  done
  # shellcheck disable=SC2016 # $1 and $d belong to the inner sh
  printf '%s\0' "${debs[@]}" | xargs -0 -r -n 16 -P "$(nproc)" sh -c 'root=$1; shift; for d; do dpkg-deb -x "$d" "$root" || exit 255; done' sh "${root}" \
    >>"${BUILDKIT_BUILD_LOG}" 2>&1 || build_failed "dpkg-deb -x of the downloaded packages failed"
  rm -f "${debs[@]}"
}

# Go import path -> golang-*-dev packages, from the Go-Import-Path and Binary fields of the
# Sources index: "import-path dev-package..." per line.
go_import_map() {
  local apt_dir=$1 sources
  for sources in "${apt_dir}"/lists/*_Sources*; do
    /usr/lib/apt/apt-helper cat-file "${sources}"
  done | awk '
    /^[^ \t]/ { field = "" }
    /^Binary:/ { binary = substr($0, 8); field = "binary"; next }
    /^[ \t]/ && field == "binary" { binary = binary $0; next }
    /^Go-Import-Path:/ { paths = substr($0, 16) }
    NF == 0 {
      if (paths != "") {
        n = split(binary, names, /[ ,]+/); devs = ""
        for (i = 1; i <= n; i++) if (names[i] ~ /^golang-.*-dev$/) devs = devs " " names[i]
        m = split(paths, list, /[ ,]+/)
        if (devs != "") for (i = 1; i <= m; i++) if (list[i] != "") print list[i] devs
      }
      paths = ""; binary = ""; field = ""
    }'
}

# Prints the import paths that 'go list' cannot find for the two commands.
missing_go_imports() {
  (cd "${GOPATH%%:*}/src/github.com/moby/buildkit" \
    && "${GO}" list -e -deps -tags "${BUILDKIT_BUILD_TAGS}" -f '{{if .Error}}{{.ImportPath}}{{end}}' ./cmd/buildkitd ./cmd/buildctl) \
    2>>"${BUILDKIT_BUILD_LOG}" | grep . | sort -u || true
}

# Maps import paths (stdin) to packages (stdout, one a line) by the longest Go-Import-Path prefix;
# unmapped paths go to the file $2.
packages_for_imports() {
  local map_file=$1 unmapped_file=$2
  awk -v unmapped="${unmapped_file}" '
    NR == FNR { path = $1; $1 = ""; map[path] = $0; next }
    {
      path = $0
      while (!(path in map) && index(path, "/") > 0) sub(/\/[^\/]*$/, "", path)
      if (path in map) { n = split(map[path], devs, " "); for (i = 1; i <= n; i++) print devs[i] }
      else print $0 >unmapped
    }' "${map_file}" - | sort -u
}

# Runs 'go build' of ./cmd/buildkitd and ./cmd/buildctl in source directory $1 into $2 with
# ldflags $3 in the background, in a process group of its own that stop_go_build (on_exit) kills;
# logs the progress against $4 packages every 30 s.
GO_BUILD_PID=""

go_build_buildkit() {
  local src=$1 out=$2 ldflags=$3 total=$4 go_log="${BUILDKIT_WORK}/go-build.log" rc=0
  # setsid: go and the compilers it starts get a process group of their own, killed as one.
  (cd "${src}" \
    && exec setsid --wait "${GO}" build -v -trimpath -tags "${BUILDKIT_BUILD_TAGS}" -ldflags "${ldflags}" -o "${out}/" ./cmd/buildkitd ./cmd/buildctl) \
    >"${go_log}" 2>&1 9>&- &
  GO_BUILD_PID=$!
  local next=$((SECONDS + 30))
  while process_running "${GO_BUILD_PID}"; do
    if [[ ${SECONDS} -ge ${next} ]]; then
      log "buildkit:       compiling: $(grep -c . "${go_log}" || true) of about ${total} packages, $((SECONDS - BUILD_STEP_START))s"
      next=$((SECONDS + 30))
    fi
    sleep 1
  done
  wait "${GO_BUILD_PID}" || rc=$?
  GO_BUILD_PID=""
  cat "${go_log}" >>"${BUILDKIT_BUILD_LOG}"
  [[ ${rc} -eq 0 ]] || build_failed "go build failed (exit ${rc})"
}

# Kills a go build still running (the script is dying: the next run would delete its work tree).
stop_go_build() {
  [[ -n "${GO_BUILD_PID}" ]] || return 0
  local pid=${GO_BUILD_PID} i
  GO_BUILD_PID=""
  process_running "${pid}" || return 0
  warn "buildkit: stopping the go build (process group ${pid})"
  kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    process_running "${pid}" || return 0
    sleep 0.1
  done
  kill -KILL -- "-${pid}" 2>/dev/null || kill -KILL "${pid}" 2>/dev/null || true
}

build_buildkit_binaries() {
  local start=${SECONDS} wanted
  wanted=$(buildkit_wanted_source_version) \
    || die "${BUILDKIT_SOURCE_PACKAGE} is not installed: its source version says what to build BuildKit from"
  require_tools xz:xz-utils patch:patch
  mkdir -p "${LOG_DIR}"
  rm -rf "${BUILDKIT_WORK}"
  mkdir -p "${BUILDKIT_WORK}"
  if [[ -f "${BUILDKIT_BUILD_LOG}" ]]; then mv -f "${BUILDKIT_BUILD_LOG}" "${BUILDKIT_BUILD_LOG}.1"; fi
  : >"${BUILDKIT_BUILD_LOG}"
  log "buildkit: building buildkitd and buildctl (BuildKit ${BUILDKIT_SERIES}.x) from Debian ${BUILDKIT_SOURCE_SUITE}'s" \
    "${BUILDKIT_SOURCE_PACKAGE} source (installed: ${wanted}) with Debian's Go (once; about 4-5 minutes on 2 cores)"
  log "buildkit: work tree ${BUILDKIT_WORK}, log ${BUILDKIT_BUILD_LOG}"

  local apt_dir="${BUILDKIT_WORK}/apt" root="${BUILDKIT_WORK}/root" gopath="${BUILDKIT_WORK}/gopath"
  build_step 1 "private apt state for ${BUILDKIT_SOURCE_SUITE} (deb, deb-src): apt-get update"
  private_apt_init "${apt_dir}" "${BUILDKIT_SOURCE_SUITE}" "deb deb-src" "$(dpkg --print-architecture)"
  choose_source_version "${apt_dir}" "${wanted}"
  build_step_done

  build_step 2 "source ${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION}: download, verify, unpack, Debian patches"
  BUILD_NOTE=""
  fetch_docker_io_source "${apt_dir}" "${BUILDKIT_WORK}/tree"
  log "buildkit:       ${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION} ships BuildKit ${BUILDKIT_VERSION}: building that"
  mkdir -p "${gopath}/src/github.com/moby" "${gopath}/src/github.com/docker"
  mv "${BUILDKIT_WORK}/tree/buildkit" "${gopath}/src/github.com/moby/buildkit"
  mv "${BUILDKIT_WORK}/tree/engine" "${gopath}/src/github.com/docker/docker"
  mv "${BUILDKIT_WORK}/tree/cli" "${gopath}/src/github.com/docker/cli"
  build_step_done "${BUILD_NOTE}"

  build_step 3 "Go toolchain from ${BUILDKIT_SOURCE_SUITE} (golang-go): download, unpack"
  local toolchain
  toolchain=$(golang_closure "${apt_dir}" golang-go)
  [[ -n "${toolchain}" ]] || build_failed "golang-go resolved to no golang-* package"
  # shellcheck disable=SC2086 # one package name a word
  download_and_unpack "${apt_dir}" "${root}" ${toolchain}
  GO="${root}/usr/bin/go"
  local goroot
  goroot=$(readlink -f "${GO}") && goroot=$(dirname "$(dirname "${goroot}")")
  [[ -x "${GO}" && -d "${goroot}/src" ]] || build_failed "no usable go in ${root}/usr/bin (packages: ${toolchain//$'\n'/ })"
  export GOROOT="${goroot}" GOPATH="${gopath}:${root}/usr/share/gocode" GOCACHE="${BUILDKIT_WORK}/gocache" \
    GO111MODULE=off GOPROXY=off GOTOOLCHAIN=local GOFLAGS='' GOENV=off CGO_ENABLED=0 GOTELEMETRY=off
  mkdir -p "${root}/usr/share/gocode/src"
  build_step_done "$("${GO}" version 2>/dev/null | awk '{ print $3 }')"

  build_step 4 "Go libraries: missing imports -> golang-*-dev packages -> closure: download, unpack (never installed)"
  local map_file="${BUILDKIT_WORK}/go-import-map" unmapped="${BUILDKIT_WORK}/unmapped-imports"
  go_import_map "${apt_dir}" >"${map_file}"
  [[ -s "${map_file}" ]] || build_failed "no Go-Import-Path fields in the ${BUILDKIT_SOURCE_SUITE} Sources index"
  local round missing roots closure fetched="${toolchain}" new total_roots=0
  for round in 1 2 3; do
    missing=$(missing_go_imports)
    [[ -n "${missing}" ]] || break
    : >"${unmapped}"
    roots=$(packages_for_imports "${map_file}" "${unmapped}" <<<"${missing}")
    [[ ! -s "${unmapped}" ]] \
      || build_failed "no Debian package provides these imports: $(tr '\n' ' ' <"${unmapped}")"
    # shellcheck disable=SC2086
    closure=$(golang_closure "${apt_dir}" ${roots})
    new=$(comm -23 <(echo "${closure}") <(sort -u <<<"${fetched}") | grep . || true)
    [[ -n "${new}" ]] \
      || build_failed "imports still missing after unpacking their packages: $(head -n 10 <<<"${missing}" | tr '\n' ' ')"
    total_roots=$((total_roots + $(grep -c . <<<"${roots}")))
    log "buildkit:       round ${round}: $(grep -c . <<<"${missing}") missing imports -> $(grep -c . <<<"${roots}") packages -> $(grep -c . <<<"${new}") to fetch"
    # shellcheck disable=SC2086
    download_and_unpack "${apt_dir}" "${root}" ${new}
    fetched=$(printf '%s\n%s\n' "${fetched}" "${new}")
  done
  missing=$(missing_go_imports)
  [[ -z "${missing}" ]] || build_failed "imports still missing: $(head -n 10 <<<"${missing}" | tr '\n' ' ')"
  build_step_done "$(grep -c . <<<"${fetched}") packages unpacked, $(du -sh "${root}" 2>/dev/null | cut -f1)"

  build_step 5 "go build -trimpath ./cmd/buildkitd ./cmd/buildctl (static, GO111MODULE=off; the long step)"
  local out="${BUILDKIT_WORK}/out" total
  mkdir -p "${out}"
  total=$( (cd "${gopath}/src/github.com/moby/buildkit" && "${GO}" list -deps -tags "${BUILDKIT_BUILD_TAGS}" ./cmd/buildkitd ./cmd/buildctl) 2>/dev/null | grep -c .) || true
  local ldflags="-s -w -X github.com/moby/buildkit/version.Version=${BUILDKIT_VERSION} -X github.com/moby/buildkit/version.Revision=debian-${BUILDKIT_SOURCE_VERSION}"
  go_build_buildkit "${gopath}/src/github.com/moby/buildkit" "${out}" "${ldflags}" "${total}"
  local version
  version=$("${out}/buildkitd" --version 2>/dev/null || true)
  [[ "${version}" == *" ${BUILDKIT_VERSION} "* ]] || build_failed "the new buildkitd reports '${version}', expected ${BUILDKIT_VERSION}"
  "${out}/buildctl" --version >/dev/null 2>&1 || build_failed "the new buildctl does not run"
  build_step_done "buildkitd $(du -h "${out}/buildkitd" | cut -f1), buildctl $(du -h "${out}/buildctl" | cut -f1)"

  build_step 6 "install into ${BUILDKIT_BIN_DIR}, remove the work tree"
  mkdir -p "${BUILDKIT_BIN_DIR}"
  local binary
  for binary in buildkitd buildctl; do
    install -m 755 "${out}/${binary}" "${BUILDKIT_BIN_DIR}/.${binary}.new"
    mv -f "${BUILDKIT_BIN_DIR}/.${binary}.new" "${BUILDKIT_BIN_DIR}/${binary}"
  done
  {
    buildkit_stamp_line "${BUILDKIT_SOURCE_VERSION}" "${BUILDKIT_VERSION}" "${wanted}"
    echo "go=$("${GO}" version | awk '{ print $3 }') roots=${total_roots}"
    (cd "${BUILDKIT_BIN_DIR}" && sha256sum buildkitd buildctl)
  } >"${BUILDKIT_BINARIES_STAMP}.tmp"
  mv -f "${BUILDKIT_BINARIES_STAMP}.tmp" "${BUILDKIT_BINARIES_STAMP}"
  unset GOROOT GOPATH GOCACHE GO111MODULE GOPROXY GOTOOLCHAIN GOFLAGS GOENV CGO_ENABLED GOTELEMETRY
  rm -rf "${BUILDKIT_WORK}"
  build_step_done
  log "buildkit: ${version} built in $((SECONDS - start))s"
  BUILDKIT_BINARIES_REBUILT=1
}

BUILDKIT_BINARIES_REBUILT=0

ensure_buildkit_binaries() {
  buildkit_binaries_current && return
  build_buildkit_binaries
}

# ---------------------------------------------------------------- buildkitd.toml

BUILDKITD_CONFIG_CHANGED=0

ensure_buildkitd_config() {
  mkdir -p "${BUILDKIT_DIR}"
  local tmp="${BUILDKITD_CONFIG}.tmp" host
  {
    echo "# Written by src/env/env.sh: the local test registries speak plain HTTP."
    for host in "${PLAIN_REGISTRY}" "localhost:${PLAIN_PORT}" "${AUTH_REGISTRY}" "localhost:${AUTH_PORT}"; do
      printf '\n[registry."%s"]\n  http = true\n  insecure = true\n' "${host}"
    done
    printf '\n[worker.oci]\n  enabled = true\n\n[worker.containerd]\n  enabled = false\n'
  } >"${tmp}"
  if cmp -s "${tmp}" "${BUILDKITD_CONFIG}"; then
    rm -f "${tmp}"
    return
  fi
  mv -f "${tmp}" "${BUILDKITD_CONFIG}"
  log "wrote ${BUILDKITD_CONFIG}"
  BUILDKITD_CONFIG_CHANGED=1
}

# ---------------------------------------------------------------- the BuildKit image

# Fills $1 with busybox, buildkitd, buildctl, runc and what they need.
build_buildkit_rootfs() {
  local rootfs=$1 runc lib
  build_busybox_rootfs "${rootfs}"
  install -D -m 755 "${BUILDKITD_BIN}" "${rootfs}/usr/bin/buildkitd"
  install -D -m 755 "${BUILDCTL_BIN}" "${rootfs}/usr/bin/buildctl"
  runc=$(command -v runc) || die "runc not found on PATH (Debian bookworm's runc comes with docker.io)"
  install -D -m 755 "$(readlink -f "${runc}")" "${rootfs}/usr/sbin/runc"
  # The dynamic loader and every library ldd lists, at the same paths.
  while read -r lib; do
    install -D -m 755 "$(readlink -f "${lib}")" "${rootfs}${lib}"
  done < <(ldd "${runc}" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u)
  # Not needed for the local registries (plain HTTP); only for a TLS registry a test might add.
  if [[ -f "${CA_BUNDLE}" ]]; then
    install -D -m 644 "${CA_BUNDLE}" "${rootfs}${CA_BUNDLE}"
  else
    warn "${CA_BUNDLE} not found (package ca-certificates): the BuildKit image gets no CA bundle (fine for plain-HTTP registries)"
  fi
  echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>"${rootfs}/etc/passwd"
  echo 'nogroup:x:65534:' >>"${rootfs}/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\nnetworks: files\n' >"${rootfs}/etc/nsswitch.conf"
  : >"${rootfs}/etc/hosts"
  : >"${rootfs}/etc/resolv.conf"
  mkdir -p "${rootfs}/var/lib/buildkit" "${rootfs}/etc/buildkit" "${rootfs}/run"
  chroot "${rootfs}" /usr/sbin/runc --version >/dev/null 2>&1 \
    || die "runc does not run inside the BuildKit root filesystem (missing libraries?)"
}

# Image stamp: the binaries stamp, then "digest.plain=..." and "digest.auth=...".
buildkit_image_current() {
  [[ -s "${BUILDKIT_IMAGE_STAMP}" && -s "${BUILDKIT_BINARIES_STAMP}" ]] || return 1
  local recorded_binaries plain auth
  recorded_binaries=$(grep -v '^digest\.' "${BUILDKIT_IMAGE_STAMP}")
  [[ "${recorded_binaries}" == "$(<"${BUILDKIT_BINARIES_STAMP}")" ]] || return 1
  plain=$(sed -n 's/^digest\.plain=//p' "${BUILDKIT_IMAGE_STAMP}")
  auth=$(sed -n 's/^digest\.auth=//p' "${BUILDKIT_IMAGE_STAMP}")
  [[ -n "${plain}" && "$(registry_digest "${PLAIN_REGISTRY}" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}")" == "${plain}" ]] || return 1
  [[ -n "${auth}" && "$(registry_digest "${AUTH_REGISTRY}" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}" "${AUTH_USER}")" == "${auth}" ]]
}

ensure_buildkit_image() {
  buildkit_image_current && return
  log "building the BuildKit image ${BUILDKIT_IMAGE} (busybox, runc, buildkitd, buildctl; no Docker Hub)"
  local rootfs
  rootfs=$(make_temp_dir buildkit-rootfs)
  build_buildkit_rootfs "${rootfs}"
  tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . \
    | docker import \
      --change 'ENTRYPOINT ["buildkitd"]' \
      --change "ENV PATH=${IMAGE_PATH}" \
      --change 'VOLUME /var/lib/buildkit' \
      --message "buildkitd ${BUILDKIT_VERSION} from Debian ${BUILDKIT_SOURCE_PACKAGE} ${BUILDKIT_SOURCE_VERSION}" \
      - "${BUILDKIT_IMAGE}" >/dev/null \
    || die "docker import of the BuildKit root filesystem failed"
  rm -rf "${rootfs}"
  log "pushing ${BUILDKIT_IMAGE} and ${BUILDKIT_IMAGE_AUTH}"
  docker push -q "${BUILDKIT_IMAGE}" >/dev/null || die "docker push ${BUILDKIT_IMAGE} failed"
  push_to_auth_registry "${BUILDKIT_IMAGE}" "${BUILDKIT_IMAGE_AUTH}"
  local plain auth
  plain=$(registry_digest "${PLAIN_REGISTRY}" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}")
  auth=$(registry_digest "${AUTH_REGISTRY}" "${BUILDKIT_IMAGE_REPO}" "${BUILDKIT_IMAGE_TAG}" "${AUTH_USER}")
  [[ -n "${plain}" && -n "${auth}" ]] || die "the pushed BuildKit image is not readable back from the registries"
  { cat "${BUILDKIT_BINARIES_STAMP}"; echo "digest.plain=${plain}"; echo "digest.auth=${auth}"; } >"${BUILDKIT_IMAGE_STAMP}.tmp"
  mv -f "${BUILDKIT_IMAGE_STAMP}.tmp" "${BUILDKIT_IMAGE_STAMP}"
  log "BuildKit image pushed (${plain})"
}

# ---------------------------------------------------------------- remote buildkitd

# True when something accepts TCP connections on 127.0.0.1:$1.
tcp_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

remote_buildkitd_running() {
  pidfile_alive "${REMOTE_BUILDKIT_PIDFILE}" "${REMOTE_BUILDKIT_DIR}/root" \
    && [[ -S "${REMOTE_BUILDKIT_SOCKET#unix://}" ]] && tcp_port_open "${REMOTE_BUILDKIT_PORT}"
}

remote_buildkitd_answers() {
  "${BUILDCTL_BIN}" --addr "${REMOTE_BUILDKIT_ENDPOINT}" --timeout 5 debug workers >/dev/null 2>&1
}

stop_remote_buildkitd() {
  stop_pidfile_process "${REMOTE_BUILDKIT_PIDFILE}" "${REMOTE_BUILDKIT_DIR}/root" "remote buildkitd" 20
}

ensure_remote_buildkitd() {
  if [[ ${BUILDKIT_BINARIES_REBUILT} -eq 1 || ${BUILDKITD_CONFIG_CHANGED} -eq 1 ]] \
    && pidfile_alive "${REMOTE_BUILDKIT_PIDFILE}" "${REMOTE_BUILDKIT_DIR}/root"; then
    log "remote buildkitd: restarting for the new binaries or configuration"
    stop_remote_buildkitd
  fi
  remote_buildkitd_running && return
  if pidfile_alive "${REMOTE_BUILDKIT_PIDFILE}" "${REMOTE_BUILDKIT_DIR}/root"; then
    warn "remote buildkitd (pid $(<"${REMOTE_BUILDKIT_PIDFILE}")) is running but not listening on ${REMOTE_BUILDKIT_ENDPOINT}; restarting it"
    stop_remote_buildkitd
  fi
  ! tcp_port_open "${REMOTE_BUILDKIT_PORT}" \
    || die "port ${REMOTE_BUILDKIT_PORT} on 127.0.0.1 is taken by another process; set LAYERCACHE_BUILDKIT_PORT to a free port"
  command -v runc >/dev/null || die "runc not found on PATH; the remote buildkitd's OCI worker needs it (Debian package runc)"
  mkdir -p "${REMOTE_BUILDKIT_DIR}/root" "${REMOTE_BUILDKIT_SOCKET_DIR}" "${LOG_DIR}"
  rm -f "${REMOTE_BUILDKIT_PIDFILE}" "${REMOTE_BUILDKIT_SOCKET#unix://}"
  log "starting remote buildkitd on ${REMOTE_BUILDKIT_ENDPOINT} (log: ${REMOTE_BUILDKIT_LOG})"
  local pid
  pid=$(start_detached "${REMOTE_BUILDKIT_LOG}" "${BUILDKITD_BIN}" --config "${BUILDKITD_CONFIG}" \
    --root "${REMOTE_BUILDKIT_DIR}/root" --addr "${REMOTE_BUILDKIT_ENDPOINT}" --addr "${REMOTE_BUILDKIT_SOCKET}" \
    --containerd-worker=false --oci-worker=true)
  echo "${pid}" >"${REMOTE_BUILDKIT_PIDFILE}"
  wait_until_up "the remote buildkitd on ${REMOTE_BUILDKIT_ENDPOINT}" "${pid}" "${REMOTE_BUILDKIT_LOG}" remote_buildkitd_answers
  log "remote buildkitd is up (pid ${pid})"
}
