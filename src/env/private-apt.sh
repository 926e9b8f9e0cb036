# shellcheck shell=bash
# Sourced by env.sh: an apt state of its own in a directory (sources, lists, cache, an EMPTY dpkg
# status), for fetching Debian packages without installing them and without touching the system's
# apt state, dpkg database or locks.
#   private_apt_init DIR SUITES TYPES ARCH...   create it and run 'apt-get update'
#   private_apt DIR apt-get-arguments...        run apt-get on it
# The apt source is derived from the first stanza of /etc/apt/sources.list.d/debian.sources at run
# time, so no mirror host name is ever written into a file of the project.
[[ "${BASH_SOURCE[0]}" != "$0" ]] || { echo "$0 is a library for env.sh, not a command" >&2; exit 2; }

# Prints the first stanza of $DEBIAN_SOURCES with its Suites: line set to $1 and, when $2 is
# given, its Types: line set to $2.
derive_debian_stanza() {
  local suites=$1 types=${2:-}
  [[ -f "${DEBIAN_SOURCES}" ]] || die "${DEBIAN_SOURCES} not found: cannot derive an apt source from it"
  awk -v suites="${suites}" -v types="${types}" '
    NF == 0 { if (started) exit; next }
    { started = 1 }
    /^Suites:/ { print "Suites: " suites; next }
    /^Types:/ && types != "" { print "Types: " types; next }
    { print }' "${DEBIAN_SOURCES}"
}

# The codename of this system's Debian release (bookworm).
debian_codename() {
  local codename
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n "${codename}" ]] || die "no VERSION_CODENAME in /etc/os-release"
  echo "${codename}"
}

private_apt_init() {
  local dir=$1 suites=$2 types=$3
  shift 3
  local archs=("$@") arch_list="" arch
  for arch in "${archs[@]}"; do arch_list+="\"${arch}\"; "; done

  mkdir -p "${dir}/sources.list.d" "${dir}/preferences.d" "${dir}/lists/partial" "${dir}/cache/archives/partial"
  : >"${dir}/status"
  derive_debian_stanza "${suites}" "${types}" >"${dir}/sources.list.d/layercache.sources"
  grep -q '^URIs:' "${dir}/sources.list.d/layercache.sources" \
    || die "could not derive an apt source for '${suites}' from the first stanza of ${DEBIAN_SOURCES}"
  # Read after /etc/apt/apt.conf.d, so these win. The sandbox user _apt could not write into a
  # root-only state directory; downloads are still verified against the signed indexes.
  cat >"${dir}/apt.conf" <<EOF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "${dir}/sources.list.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "${dir}/preferences.d";
Dir::State::Lists "${dir}/lists";
Dir::State::status "${dir}/status";
Dir::State::extended_states "${dir}/extended_states";
Dir::Cache "${dir}/cache";
APT::Sandbox::User "root";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
APT::Architecture "${archs[0]}";
#clear APT::Architectures;
APT::Architectures { ${arch_list}};
EOF
  private_apt "${dir}" update >/dev/null || die "apt-get update of the private apt state ${dir} (${suites}, ${types}, ${archs[*]}) failed"
}

private_apt() {
  local dir=$1
  shift
  apt-get -c "${dir}/apt.conf" -q "$@"
}
