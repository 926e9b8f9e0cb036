#!/usr/bin/env bash
# Benchmark of layercache-maven-plugin against the same `docker buildx build` run by hand, and
# (scenario 7) of its Java layers against Jib.
#
# Scenario 7 alone, as bench/results-java.md was made (about 25 minutes on 2 cores):
#   bash bench/run.sh --scenarios 7 --pairs 5 --results bench/results-java.md
#
# Usage: bash bench/run.sh [--pairs N] [--quick] [--network loopback|link|both]
#                          [--link-delay-ms N] [--link-rate N] [--link-shared-rate N]
#                          [--scenarios LIST] [--builder NAME] [--results FILE]
#   --pairs N           measured pairs per scenario (default 5; the cold scenario runs min(N, 3))
#   --quick             2 pairs per scenario, a smoke run
#   --network           which registry path to measure (default both, one table each):
#                       loopback: the registry on 127.0.0.1 directly;
#                       link: the same registry behind bench/link.py, a relay that adds
#                       latency and a per-connection throughput ceiling, as a registry across a
#                       network has (a fully cached build on loopback costs well under a second)
#   --link-delay-ms N   one-way latency of the link (default 10, so 20 ms a round trip)
#   --link-rate N       throughput ceiling per connection and direction, MB/s (default 50)
#   --link-shared-rate N  a ceiling for all connections together, per direction, MB/s (default
#                       none: parallel builds each get --link-rate)
#   --scenarios LIST    which scenarios to run, e.g. 2,5 (default 1,2,3,4,5; 5 includes 5b;
#                       6, with 6n, runs on the link only; 7 on both networks, bytes on the link)
#   --builder NAME      scenarios 1-4 through this buildx builder (default: the current one, the
#                       Docker Engine's own); lc-bench is the docker-container builder of scenario 6
#   --results FILE      where the tables go (default bench/results.md)
#
# Scenarios (bench/sample unless said otherwise; "plugin" is the build goal's own wall time,
# goalSeconds from target/layercache/image.json, "raw" the wall time of the plugin's own
# `command` with a fresh --metadata-file and every other flag unchanged, run by bench/raw.sh at the
# same point of the same kind of Maven build (`mvn package -Praw`, the plugin skipped), so that
# both sides share a JVM that has just started around them):
#   1 cold: BuildKit's cache pruned, image removed, registry cache manifest deleted (fingerprint off)
#   2 no change after prune: only the registry cache helps (fingerprint off)
#   3 one-line source change after prune (fingerprint off); also the plugin's time for saying why the
#     steps ran (why.seconds: the context hashed, the record beside the cache read, this build's written)
#   3c then no change, BuildKit's cache kept (every step CACHED): the plugin with cacheExplain on (A)
#     and off (B)
#   4 no change, fingerprint on and the fp- tag pushed: the build is skipped; raw is scenario 2's command
#   5 bench/multi, one of six modules changed, fingerprint off (all six build from the registry
#     cache): whole `mvn package` wall time, -T 2 against -T 1
#   5b the same with the fingerprint on (the five unchanged modules are skipped)
#   6 "CI as it lives", bench/ci (COPY --link over a 120 MB dependency layer), the docker-container
#     builder lc-bench: a fresh CI machine (the builder's cache pruned, no local image), a one-line
#     change, whole `mvn deploy` with CI=true, three sides in one round, the order rotated each round:
#       A the plugin's registry route (buildx-setup, build pushes by digest, push tags in the registry)
#       B the flow of AWS's CodeBuild guide for an ECR cache, bench/ci-raw.sh in `mvn deploy -Paws`
#         (the plugin skipped): docker buildx build --cache-to/--cache-from registry --load, docker push
#       C the plugin's load route (-Dlayercache.load=true): --load, then docker push
#     bytes: link.py's counters of blob downloads and uploads, reset before each run
#   6n bench/ci, no change after prune, CI=true: the build goal (registry route) against its own
#     recorded command, as 2 (mvn package; raw.sh in `mvn package -Praw`)
#   7 "Java layers against Jib", bench/java (a Spring Boot 3.5.7 web service), the docker-container
#     builder lc-bench-java: a fresh CI machine (the builder's cache pruned, new Jib cache
#     directories), a one-line change (the controller's string), whole `mvn deploy` with CI=true, on
#     the same base image (bench-java-base:1, the environment's Java runtime and a 120 MB layer, built
#     and pushed once) and registry, three sides in one round, the order rotated each round:
#       L the plugin with the Java layers (bench/java/Dockerfile, the README's, COPY --from=java-app)
#       F the plugin with the fat jar (bench/java/Dockerfile.fat, COPY --link target/app.jar)
#       J jib-maven-plugin 3.5.2, jib:build bound to deploy (profile jib, the plugin's goals unbound)
#     each side in its own repository (bench-java-layers, -fat, -jib), after a warm-up round; then
#     cold rounds (min(N, 3)), each side into a repository the registry has never seen; bytes:
#     link.py's counters, the uploads split into the image's own blobs and the rest (the cache's)
# Pairs alternate A B, B A, ...; the table shows medians and the median of the pair ratios.
# Writes bench/results.md (or --results); logs and raw measurements go to bench/target/.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly ROOT=$PWD
readonly BENCH=$ROOT/bench
readonly WORK=$BENCH/target
readonly RUNS=$WORK/runs.tsv
readonly SAMPLE=$BENCH/sample
readonly MULTI=$BENCH/multi
readonly SAMPLE_SOURCE=$SAMPLE/src/main/java/com/example/bench/BenchService.java
readonly MULTI_CHANGED=svc-a
readonly MULTI_SOURCE=$MULTI/svc-a/src/main/java/com/example/bench/a/ServiceA.java
readonly MULTI_MODULES=(svc-a svc-b svc-c svc-d svc-e svc-f)
readonly CI_PROJECT=$BENCH/ci
readonly CI_IMAGE=bench-ci-service
readonly CI_SOURCE=$CI_PROJECT/src/main/java/com/example/bench/ci/CiService.java
readonly CI_BUILDER=lc-bench
readonly JAVA_PROJECT=$BENCH/java
readonly JAVA_SOURCE=$JAVA_PROJECT/src/main/java/com/example/bench/java/Greeting.java
readonly JAVA_BUILDER=lc-bench-java
readonly JAVA_BASE=bench-java-base:1

pairs=5 networks=(loopback link) link_delay_ms=10 link_rate=50 link_shared_rate=0 scenarios=1,2,3,4,5
results=$BENCH/results.md builder=
while (($#)); do
  case $1 in
    --pairs) pairs=${2:?--pairs needs a number}; shift 2 ;;
    --quick) pairs=2; shift ;;
    --network)
      case ${2:-} in
        loopback | link) networks=("$2") ;;
        both) networks=(loopback link) ;;
        *) echo "--network takes loopback, link or both" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --link-delay-ms) link_delay_ms=${2:?--link-delay-ms needs a number}; shift 2 ;;
    --link-rate) link_rate=${2:?--link-rate needs a number}; shift 2 ;;
    --link-shared-rate) link_shared_rate=${2:?--link-shared-rate needs a number}; shift 2 ;;
    --scenarios) scenarios=${2:?--scenarios needs a list}; shift 2 ;;
    --results) results=${2:?--results needs a file}; shift 2 ;;
    --builder) builder=${2:?--builder needs a name}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $pairs =~ ^[1-9][0-9]*$ ]] || { echo "--pairs takes a positive number" >&2; exit 2; }
[[ $link_delay_ms =~ ^[0-9]+$ ]] || { echo "--link-delay-ms takes a whole number" >&2; exit 2; }
[[ $link_rate =~ ^[1-9][0-9]*$ ]] || { echo "--link-rate takes a positive whole number" >&2; exit 2; }
[[ $link_shared_rate =~ ^[0-9]+$ ]] || { echo "--link-shared-rate takes a whole number" >&2; exit 2; }
[[ $scenarios =~ ^[1-7](,[1-7])*$ ]] || { echo "--scenarios takes numbers from 1 to 7, e.g. 2,5" >&2; exit 2; }
[[ -z $builder || $builder =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "--builder takes a builder's name" >&2; exit 2; }
readonly PAIRS=$pairs NETWORKS=("${networks[@]}") LINK_DELAY_MS=$link_delay_ms LINK_RATE=$link_rate
readonly LINK_SHARED_RATE=$link_shared_rate SCENARIOS=",$scenarios," RESULTS=$results BENCH_BUILDER=$builder
[[ ",$scenarios," != *,4,* || ",$scenarios," == *,2,* ]] ||
  { echo "--scenarios: 4 compares with the raw command of 2, so it needs 2 as well" >&2; exit 2; }
# Not 5511: the test environment's remote buildkitd listens there.
readonly LINK_PORT=5521 LINK_CONTROL_PORT=5522
readonly COLD_PAIRS=$((PAIRS < 3 ? PAIRS : 3))
# Part of the names of scenario 7's cold repositories, new in every run of this script.
RUN_ID=$(date -u +%Y%m%d%H%M%S)
readonly RUN_ID

log() { echo "[bench] $*"; }

fail() {
  local logfile=$1
  shift
  echo "[bench] FAILED: $*" >&2
  [[ -f $logfile ]] && { echo "[bench] last lines of $logfile:" >&2; tail -40 "$logfile" >&2; }
  exit 1
}

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# json_get FILE a.b.c: one value of a JSON file ("" when absent).
json_get() { python3 "$BENCH/report.py" get "$1" "$2"; }

# ---------------------------------------------------------------- environment

bring_up() {
  # `up` takes the environment's lock even when all is up; other work may be using it.
  bash src/env/env.sh status >/dev/null 2>&1 || bash src/env/env.sh up
  local props="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}/env.properties"
  LOOPBACK_REGISTRY=$(sed -n 's/^registry\.plain=//p' "$props")
  LOOPBACK_BASE_IMAGE=$(sed -n 's/^base\.image=//p' "$props")
  [[ -n $LOOPBACK_REGISTRY && -n $LOOPBACK_BASE_IMAGE ]] ||
    { echo "[bench] no registry or base image in $props" >&2; exit 1; }
  [[ $LOOPBACK_BASE_IMAGE == "$LOOPBACK_REGISTRY"/* ]] ||
    { echo "[bench] the base image $LOOPBACK_BASE_IMAGE is not in $LOOPBACK_REGISTRY" >&2; exit 1; }
  LINK_REGISTRY=127.0.0.1:$LINK_PORT
  BUILDKIT_IMAGE=$(sed -n 's/^buildkit\.image=//p' "$props")
  BUILDKITD_CONFIG=$(sed -n 's/^buildkitd\.config=//p' "$props")
  JRE_IMAGE=$(sed -n 's/^jre\.image=//p' "$props")
  readonly LOOPBACK_REGISTRY LOOPBACK_BASE_IMAGE LINK_REGISTRY BUILDKIT_IMAGE BUILDKITD_CONFIG JRE_IMAGE
}

LINK_PID=
start_link() {
  local port
  for port in "$LINK_PORT" "$LINK_CONTROL_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "[bench] port $port is taken; bench/link.py needs it" >&2
      exit 1
    fi
  done
  local ready=$WORK/link.out
  python3 "$BENCH/link.py" --listen "$LINK_PORT" --target "$LOOPBACK_REGISTRY" --control "$LINK_CONTROL_PORT" \
    --delay-ms "$LINK_DELAY_MS" --rate "$LINK_RATE" --shared-rate "$LINK_SHARED_RATE" >"$ready" 2>&1 &
  LINK_PID=$!
  local tries
  for ((tries = 0; tries < 50; tries++)); do
    grep -q '^listening' "$ready" 2>/dev/null && return
    kill -0 "$LINK_PID" 2>/dev/null || break
    sleep 0.1
  done
  fail "$ready" "bench/link.py did not start"
}
stop_link() { [[ -z $LINK_PID ]] || kill "$LINK_PID" 2>/dev/null || true; }

# link_counters [reset]: what bench/link.py carried since its last reset, as JSON (see link.py).
link_counters() {
  curl -fsS "http://127.0.0.1:${LINK_CONTROL_PORT}/counters${1:+?reset=1}" ||
    fail "$WORK/link.out" "bench/link.py's counters do not answer"
}

# use_network loopback|link: the registry and base image the following runs use.
use_network() {
  NET=$1
  case $NET in
    loopback) REGISTRY=$LOOPBACK_REGISTRY ;;
    link) REGISTRY=$LINK_REGISTRY ;;
  esac
  # The same registry storage either way; only the path to it differs.
  BASE_IMAGE=$REGISTRY/${LOOPBACK_BASE_IMAGE#"$LOOPBACK_REGISTRY"/}
  JAVA_BASE_IMAGE=$REGISTRY/$JAVA_BASE
}

# The plugin installed from a copy of the working tree's sources (pom.xml and src/main) in
# bench/target, so that the build leaves the repository's own target/ alone: tests may be using it.
install_plugin() {
  log "installing the plugin"
  local logfile=$WORK/install.log copy=$WORK/plugin-source
  rm -rf "$copy"
  mkdir -p "$copy/src"
  cp -r pom.xml mvnw .mvn "$copy/"
  cp -r src/main "$copy/src/"
  (cd "$copy" && ./mvnw -B -q -ntp install -Dmaven.test.skip=true -Dspotless.check.skip=true) >"$logfile" 2>&1 ||
    fail "$logfile" "the plugin did not install"
}

# prepare_bench_builder NAME: the docker-container builder of scenario 6 (lc-bench, also that of
# --builder lc-bench) or 7 (lc-bench-java), made afresh: its buildkitd.toml must say that the link's
# port, too, speaks plain HTTP. Sets BUILDER_SECONDS[NAME], the time that creating and booting it took.
declare -A BUILDER_SECONDS=()
prepare_bench_builder() {
  local name=$1 config=$WORK/buildkitd.toml logfile=$WORK/builder-$1.log started
  {
    cat "$BUILDKITD_CONFIG"
    printf '\n# bench/run.sh: the link in front of the plain registry.\n[registry."%s"]\n  http = true\n  insecure = true\n' \
      "$LINK_REGISTRY"
  } >"$config"
  if docker buildx inspect "$name" >/dev/null 2>&1; then
    docker buildx rm "$name" >"$logfile" 2>&1 || fail "$logfile" "cannot remove the old builder $name"
  fi
  log "creating the builder $name (docker-container, $BUILDKIT_IMAGE)"
  started=$(now)
  docker buildx create --name "$name" --driver docker-container \
    --driver-opt "image=${BUILDKIT_IMAGE},network=host" --buildkitd-config "$config" --bootstrap >>"$logfile" 2>&1 ||
    fail "$logfile" "cannot create the builder $name"
  BUILDER_SECONDS[$name]=$(seconds_since "$started")
  BENCH_BUILDKITD_CONFIG=$config
}

# builder_text [NAME]: "NAME: docker-container driver, BuildKit v0.13.2"
builder_text() {
  local inspected
  inspected=$(docker buildx inspect ${1:+"$1"})
  printf '%s: %s driver, BuildKit %s' "$(sed -n 's/^Name:[[:space:]]*//p' <<<"$inspected" | head -1)" \
    "$(sed -n 's/^Driver:[[:space:]]*//p' <<<"$inspected" | head -1)" \
    "$(sed -n 's/^BuildKit version:[[:space:]]*//p' <<<"$inspected" | head -1)"
}

describe_machine() {
  local memory builders=() joined
  memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  ! wants_one_of 1 2 3 4 || builders+=("scenarios 1-4 through builder $(builder_text "$BENCH_BUILDER")")
  ! wants 5 || builders+=("5 through builder $(builder_text)")
  ! wants 6 || builders+=("6 through builder $(builder_text "$CI_BUILDER") (image ${BUILDKIT_IMAGE}, network=host)")
  ! wants 7 || builders+=("7 through builder $(builder_text "$JAVA_BUILDER") (image ${BUILDKIT_IMAGE}, network=host; created and booted in ${BUILDER_SECONDS[$JAVA_BUILDER]} s before the runs, a cost no run includes)")
  joined=$(printf '%s; ' "${builders[@]}")
  MACHINE="machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), ${memory} memory
docker: Engine $(docker version -f '{{.Server.Version}}'), $(docker buildx version), $([[ $(docker info -f '{{.DriverStatus}}') == *io.containerd.snapshotter* ]] && echo 'containerd image store' || echo 'classic image store')
builders: ${joined%; }
plugin: io.github.layercache:layercache-maven-plugin 0.1.0-SNAPSHOT from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main 2>/dev/null || echo ' + uncommitted changes in src/main'); Maven $(./mvnw -v 2>/dev/null | sed -n 's/^Apache Maven \([^ ]*\).*/\1/p'), Java $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p')$(wants 7 && echo "; jib-maven-plugin 3.5.2")
registry: plain distribution registry at ${LOOPBACK_REGISTRY}, base image ${LOOPBACK_BASE_IMAGE}$(wants 7 && echo " (scenario 7: ${LOOPBACK_REGISTRY}/${JAVA_BASE})")
link: the same registry at ${LINK_REGISTRY} through bench/link.py, ${LINK_DELAY_MS} ms each way (round trip $((2 * LINK_DELAY_MS)) ms), at most ${LINK_RATE} MB/s per connection and direction, $( ((LINK_SHARED_RATE)) && echo "at most ${LINK_SHARED_RATE} MB/s for all connections together" || echo "no shared ceiling")"
  local samples=()
  ! wants_one_of 1 2 3 4 6 || samples+=("bench/sample: one jar module (bench-service); Dockerfile: a dependency stage 'RUN ... sleep 8' writing a 120 MB incompressible layer (stands in for a JRE and OS packages), then COPY --from of it and COPY of the jar; cache type=registry,mode=max,image-manifest=true,oci-mediatypes=true")
  ! wants 5 || samples+=("bench/multi: a parent with six jar modules (svc-a..svc-f), each the same shape with its own 'sleep 1' dependency stage writing a 120 MB layer; svc-a is the one changed")
  ! wants 6 || samples+=("bench/ci (scenario 6): bench/sample's shape with COPY --link in the final stage (the 120 MB dependency layer, then the jar); fingerprint on (the default), cachePerBranch off, so that every side's cache is IMAGE:buildcache")
  ! wants 7 || samples+=("bench/java (scenario 7): a Spring Boot 3.5.7 web service (spring-boot-starter-web, one controller); base image ${LOOPBACK_REGISTRY}/${JAVA_BASE} (${JAVA_BASE_FACTS:-}); the plugin: fingerprint on, cachePerBranch off, cache IMAGE:buildcache (mode=max, image-manifest=true); Jib: default layers, allowInsecureRegistries (plain HTTP), fresh jib.baseImageCache and jib.applicationCache per run, update checks off")
  SAMPLE_TEXT=$(printf '%s\n' "${samples[@]}")
  readonly MACHINE SAMPLE_TEXT
  echo "$MACHINE"
}

# ---------------------------------------------------------------- state between runs

# forget_local_state [BUILDER]: BuildKit's local cache (of BUILDER, default --builder or the current
# builder) and the loaded images gone, as on a fresh CI machine.
forget_local_state() {
  local builder=${1:-$BENCH_BUILDER}
  docker buildx prune ${builder:+--builder "$builder"} -af >/dev/null
  local images
  # Every benchmark image, whatever registry host names it: one left behind keeps its layers local.
  images=$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '^[^/]+/bench-' || true)
  # shellcheck disable=SC2086 # one image per word
  [[ -z $images ]] || docker image rm -f $images >/dev/null
}

forget_registry_cache() {
  local name=$1 digest
  digest=$(curl -fsSI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://${REGISTRY}/v2/${name}/manifests/buildcache" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p') || true
  [[ -z $digest ]] || curl -fsS -X DELETE "http://${REGISTRY}/v2/${name}/manifests/${digest}" >/dev/null
}

forget_everything() {
  forget_local_state
  forget_registry_cache bench-service
}

# A line that changes the compiled jar (a comment would not); unique, so no fp- tag ever matches it.
# The class's name is left in EDIT.
append_line() {
  EDIT=BenchEdit$(date +%s%N)
  echo "final class $EDIT {}" >>"$1"
}

# True when the log shows the expensive RUN of the dependency stage answered from the cache.
# (A cache hit whose layer still has to be pulled shows no CACHED line, so steps.cached undercounts.)
dependency_stage_cached() {
  local id
  id=$(sed -n 's/^\(\[INFO\] \)\{0,1\}#\([0-9]*\) \[dependencies [0-9]*\/[0-9]*\] RUN .*/\2/p' "$1" | head -1)
  [[ -n $id ]] || fail "$1" "no dependency stage RUN step in the log"
  grep -Eq "^(\[INFO\] )?#${id} CACHED" "$1"
}

# expect_dependency_stage LOG cached|ran
expect_dependency_stage() {
  local actual=ran
  dependency_stage_cached "$1" && actual=cached
  [[ $actual == "$2" ]] || fail "$1" "the dependency stage ${actual}, expected: $2"
}

# True when the COPY of the service's jar was answered from the cache: a CACHED line, or the
# cached layer pulled from the registry (its sha256 download lines) instead of the step running.
jar_step_reused() {
  local id
  id=$(sed -n 's/^\(\[INFO\] \)\{0,1\}#\([0-9]*\) \[[^]]*\] COPY \(--link \)\{0,1\}target\/.*\.jar .*/\2/p' "$1" | head -1)
  [[ -n $id ]] || fail "$1" "no COPY of the jar in the log"
  grep -Eq "^(\[INFO\] )?#${id} (CACHED|sha256:)" "$1"
}

# expect_source_change LOG: the one-line change reached the image (the jar's COPY ran).
expect_source_change() {
  ! jar_step_reused "$1" || fail "$1" "the source change did not reach the image (the jar's COPY was reused)"
}

restore_sources() {
  sed -i '/^final class BenchEdit[0-9]* {}$/d' "$SAMPLE_SOURCE" "$MULTI_SOURCE" "$CI_SOURCE"
  sed -i -E 's/return "hello BenchEdit[0-9]+";/return "hello v1";/' "$JAVA_SOURCE"
}

# ---------------------------------------------------------------- measured runs

# record SCENARIO PAIR SIDE SECONDS MVN_WALL GOAL BUILDX CACHED TOTAL
record() { (IFS=$'\t'; echo "$NET	$*") >>"$RUNS"; }

# mvn_project DIR LOGFILE ARGS...: Maven on one of the benchmark's projects, with the variables of
# MVN_ENV (NAME=VALUE words) in its environment; sets WALL.
MVN_ENV=()
mvn_project() {
  local project=$1 logfile=$2 started
  shift 2
  local builder=() base=$BASE_IMAGE
  [[ -z $BENCH_BUILDER || $project == "$MULTI" ]] || builder=(-Dlayercache.builder="$BENCH_BUILDER")
  case $project in
    "$CI_PROJECT") builder=(-Dbench.builder="$CI_BUILDER" -Dbench.buildkitImage="$BUILDKIT_IMAGE"
      -Dbench.buildkitdConfig="$BENCH_BUILDKITD_CONFIG") ;;
    "$JAVA_PROJECT")
      builder=(-Dbench.builder="$JAVA_BUILDER" -Dbench.buildkitImage="$BUILDKIT_IMAGE"
        -Dbench.buildkitdConfig="$BENCH_BUILDKITD_CONFIG")
      base=$JAVA_BASE_IMAGE ;;
  esac
  started=$(now)
  env "${MVN_ENV[@]}" ./mvnw -B -ntp -f "$project/pom.xml" -Dbench.registry="$REGISTRY" -Dbase.image="$base" \
    "${builder[@]}" "$@" >"$logfile" 2>&1 || fail "$logfile" "mvn $* on ${project#"$ROOT"/}"
  WALL=$(seconds_since "$started")
}
mvn_sample() { mvn_project "$SAMPLE" "$@"; }
mvn_multi() { mvn_project "$MULTI" "$@"; }

# plugin_run SCENARIO PAIR ARGS...: mvn package on PROJECT (default bench/sample), measured by the
# goal's own clock.
PROJECT=$SAMPLE
# PLUGIN_SIDE names the side in the record and the log (default plugin).
plugin_run() {
  local side=${PLUGIN_SIDE:-plugin}
  local scenario=$1 pair=$2 logfile="$LOGS/s$1-p$2-$side.log" result=$PROJECT/target/layercache/image.json
  shift 2
  rm -f "$result"
  mvn_project "$PROJECT" "$logfile" package "$@"
  [[ -f $result ]] || fail "$logfile" "no $result"
  local goal buildx cached total
  goal=$(json_get "$result" goalSeconds)
  buildx=$(json_get "$result" durationSeconds)
  cached=$(json_get "$result" steps.cached)
  total=$(json_get "$result" steps.total)
  if [[ -n $(json_get "$result" command) ]]; then
    cp "$result" "$LOGS/command-s${scenario}.json"
  fi
  record "$scenario" "$pair" "$side" "$goal" "$WALL" "$goal" "$buildx" "$cached" "$total"
  PLUGIN_RESULT=$result
  log "  s$scenario pair $pair $side  goal ${goal} s (buildx ${buildx} s, mvn ${WALL} s, ${cached}/${total} steps cached)"
}

# raw_run SCENARIO PAIR COMMAND_JSON: the plugin's command, verbatim but for a fresh --metadata-file,
# run by bench/raw.sh from inside `mvn package` (profile raw, the plugin skipped) and timed by raw.sh.
raw_run() {
  local scenario=$1 pair=$2 source=$3 logfile="$LOGS/s$1-p$2-raw.log"
  local metadata="$LOGS/raw-metadata-s$1-p$2.json" seconds="$LOGS/raw-seconds-s$1-p$2" wall cached
  [[ -f $source ]] || fail /dev/null "no plugin command in $source yet"
  rm -f "$seconds"
  mvn_project "$PROJECT" "$logfile" package -Praw -Dlayercache.skip=true \
    -Draw.command="$source" -Draw.metadata="$metadata" -Draw.seconds="$seconds"
  [[ -s $seconds ]] || fail "$logfile" "bench/raw.sh wrote no time"
  wall=$(<"$seconds")
  cached=$(grep -Ec '^(\[INFO\] )?#[0-9]+ CACHED' "$logfile" || true)
  record "$scenario" "$pair" raw "$wall" "$WALL" - - "$cached" -
  log "  s$scenario pair $pair raw     ${wall} s (mvn ${WALL} s, ${cached} CACHED)"
}

# in_pairs N A B: runs A and B N times, A first in odd pairs and B first in even ones.
in_pairs() {
  local n=$1 a=$2 b=$3 pair
  for ((pair = 1; pair <= n; pair++)); do
    if ((pair % 2)); then "$a" "$pair"; "$b" "$pair"; else "$b" "$pair"; "$a" "$pair"; fi
  done
}

# ---------------------------------------------------------------- scenarios

s1_plugin() {
  forget_everything
  plugin_run 1 "$1" -Dlayercache.fingerprint=false
  expect_dependency_stage "$LOGS/s1-p$1-plugin.log" ran
}
s1_raw() {
  forget_everything
  raw_run 1 "$1" "$LOGS/command-s1.json"
  expect_dependency_stage "$LOGS/s1-p$1-raw.log" ran
}

s2_plugin() {
  forget_local_state
  plugin_run 2 "$1" -Dlayercache.fingerprint=false
  expect_dependency_stage "$LOGS/s2-p$1-plugin.log" cached
}
s2_raw() {
  forget_local_state
  raw_run 2 "$1" "$LOGS/command-s2.json"
  expect_dependency_stage "$LOGS/s2-p$1-raw.log" cached
}

s3_plugin() {
  append_line "$SAMPLE_SOURCE"
  forget_local_state
  plugin_run 3 "$1" -Dlayercache.fingerprint=false
  expect_source_change "$LOGS/s3-p$1-plugin.log"
  expect_dependency_stage "$LOGS/s3-p$1-plugin.log" cached
  # The steps that ran are explained: what that cost the goal (hashing, one read, one write).
  local why
  why=$(json_get "$PLUGIN_RESULT" why.seconds)
  if [[ -z $why ]] || ! grep -q ': not cached: .* changed' "$LOGS/s3-p$1-plugin.log"; then
    fail "$LOGS/s3-p$1-plugin.log" "the build did not say which changed file made its steps run"
  fi
  record 3 "$1" explain "$why" - - - - -
  log "  s3 pair $1 explain ${why} s (why the steps ran, and this build's inputs recorded)"
}
s3_raw() {
  append_line "$SAMPLE_SOURCE"
  forget_local_state
  raw_run 3 "$1" "$LOGS/command-s3.json"
  expect_source_change "$LOGS/s3-p$1-raw.log"
  expect_dependency_stage "$LOGS/s3-p$1-raw.log" cached
}

# 3c: what saying why costs a build whose every step was CACHED (nothing, it should): the same
# build again, BuildKit's cache kept, with cacheExplain on and off. (After a prune the docker driver
# may show the jar's COPY as downloaded instead of CACHED: the plugin then reads the record to tell.)
s3c_side() {
  local side=$1 pair=$2 explain=$3
  PLUGIN_SIDE=$side plugin_run 3c "$pair" -Dlayercache.fingerprint=false -Dlayercache.cache.explain="$explain"
  [[ $(json_get "$PLUGIN_RESULT" steps.cached) == "$(json_get "$PLUGIN_RESULT" steps.total)" ]] ||
    fail "$LOGS/s3c-p$pair-$side.log" "not every step was CACHED"
  [[ -z $(json_get "$PLUGIN_RESULT" why) ]] ||
    fail "$LOGS/s3c-p$pair-$side.log" "a build whose every step was cached explained something"
}
s3c_on() { s3c_side on "$1" true; }
s3c_off() { s3c_side off "$1" false; }

s4_plugin() {
  forget_local_state
  plugin_run 4 "$1"
  [[ $(json_get "$PLUGIN_RESULT" fingerprint.reused) == true ]] ||
    fail "$LOGS/s4-p$1-plugin.log" "the build was not skipped although the fp- tag was pushed"
}
s4_raw() {
  forget_local_state
  raw_run 4 "$1" "$LOGS/command-s2.json"
  expect_dependency_stage "$LOGS/s4-p$1-raw.log" cached
}

s4_setup() {
  log "  s4 setup: mvn deploy, which pushes the fp- tag"
  forget_local_state
  mvn_sample "$LOGS/s4-deploy.log" deploy
}

# maven_total LOGFILE: Maven's own "Total time" in seconds (the reactor, without the JVM's start).
maven_total() {
  sed -n 's/^\[INFO\] Total time: *\([0-9.]*\) s.*/\1/p' "$1" | tail -1
}

# s5_run SCENARIO PAIR THREADS [ARGS...]: svc-a changed again, BuildKit's cache pruned and the
# images removed, then the whole reactor's mvn package.
s5_run() {
  local scenario=$1 pair=$2 threads=$3 module built=() reused cached total
  local logfile="$LOGS/s$1-p$2-T$3.log"
  shift 3
  append_line "$MULTI_SOURCE"
  forget_local_state
  rm -f "$MULTI"/svc-*/target/layercache/image.json
  mvn_multi "$logfile" -T "$threads" package "$@"
  for module in "${MULTI_MODULES[@]}"; do
    local result=$MULTI/$module/target/layercache/image.json
    [[ -f $result ]] || fail "$logfile" "no result file for $module"
    reused=$(json_get "$result" fingerprint.reused)
    if [[ $reused != true ]]; then
      built+=("$module")
      cached=$(json_get "$result" steps.cached)
      ((cached >= 1)) || fail "$logfile" "$module built without a single cached step"
    fi
  done
  total=$(maven_total "$logfile")
  record "$scenario" "$pair" "T$threads" "$WALL" "$WALL" "${total:--}" - - -
  log "  s$scenario pair $pair -T $threads  mvn package ${WALL} s, Maven's total ${total:-?} s (built: ${built[*]:-none})"
  BUILT=("${built[@]}")
}

# 5: every module runs its build from the registry cache (fingerprint off): what -T buys when
# the image builds are the work.
s5_each() {
  s5_run 5 "$1" "$2" -Dlayercache.fingerprint=false
  ((${#BUILT[@]} == ${#MULTI_MODULES[@]})) || fail "$LOGS/s5-p$1-T$2.log" "not every module was built"
}
s5_t1() { s5_each "$1" 1; }
s5_t2() { s5_each "$1" 2; }

# 5b: the same change with the fingerprint on: the five unchanged modules are skipped.
s5b_each() {
  s5_run 5b "$1" "$2"
  [[ ${BUILT[*]} == "$MULTI_CHANGED" ]] ||
    fail "$LOGS/s5b-p$1-T$2.log" "expected only $MULTI_CHANGED to be built, built: ${BUILT[*]:-none}"
}
s5b_t1() { s5b_each "$1" 1; }
s5b_t2() { s5b_each "$1" 2; }

s5_setup() {
  log "  s5 setup: mvn -T 2 deploy of bench/multi, which pushes the six fp- tags"
  forget_local_state
  mvn_multi "$LOGS/s5-deploy.log" -T 2 deploy
}

# ---------------------------------------------------------------- scenario 6: CI as it lives

readonly CI_TAG=1.0.0 # bench/ci's project version, the image's tag
readonly RUNS6=$WORK/runs6.jsonl
# Maven's log lines with a time stamp each, for the time per goal.
readonly STAMPS=(-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
readonly SIDES=(A B C)

# s6_run SIDE ROUND POSITION WARMUP: one `mvn deploy` of bench/ci on a fresh CI machine after a
# one-line change, checked and recorded in RUNS6.
s6_run() {
  local side=$1 round=$2 position=$3 warmup=$4 name="s6-r$2-$1"
  local logfile=$LOGS/$name.log result=$CI_PROJECT/target/layercache/image.json seconds=$LOGS/$name-seconds
  local args=(deploy "${STAMPS[@]}") route
  case $side in
    A) ;;
    B) args+=(-Paws -Dlayercache.skip=true -Draw.buildArgs="$S6_BUILD_ARGS" -Draw.seconds="$seconds") ;;
    C) args+=(-Dlayercache.load=true) ;;
  esac
  append_line "$CI_SOURCE"
  forget_local_state "$CI_BUILDER"
  # The removed image's 240 MB written back before the clock starts, not during the next run.
  sync
  rm -f "$result" "$seconds"
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  link_counters reset >/dev/null
  MVN_ENV=(CI=true)
  mvn_project "$CI_PROJECT" "$logfile" "${args[@]}"
  MVN_ENV=()
  link_counters >"$LOGS/$name-link.json"

  # The checks read the log without its time stamps.
  sed -E 's/^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} //' "$logfile" >"$logfile.plain"
  # (The first warm-up run builds the dependency stage when the registry has no cache yet.)
  [[ $warmup == true && $side == A ]] || expect_dependency_stage "$logfile.plain" cached
  expect_source_change "$logfile.plain"
  if [[ $side == B ]]; then
    [[ $(grep -Ec '^(build|push) ' "$seconds" 2>/dev/null) == 2 ]] ||
      fail "$logfile" "bench/ci-raw.sh did not time both of its steps"
  else
    [[ -f $result ]] || fail "$logfile" "no $result"
    route=$(json_get "$result" output)
    [[ $route == "$([[ $side == A ]] && echo registry || echo load)" ]] ||
      fail "$logfile" "side $side took the $route route"
    [[ -n $(json_get "$result" pushed.digest) ]] || fail "$logfile" "side $side pushed nothing"
  fi
  # What the registry now serves as the tag: the change must be in its top layer.
  python3 "$BENCH/report.py" image "$LOOPBACK_REGISTRY" "$CI_IMAGE" "$CI_TAG" "$EDIT" >"$LOGS/$name-image.json" ||
    fail "$logfile" "cannot read ${CI_IMAGE}:${CI_TAG} from the registry"
  [[ $(json_get "$LOGS/$name-image.json" found) == true ]] ||
    fail "$logfile" "${CI_IMAGE}:${CI_TAG}'s top layer lacks ${EDIT}: side ${side}'s change did not ship"
  local result_arg=- seconds_arg=-
  [[ $side == B ]] && seconds_arg=$seconds || result_arg=$result
  python3 "$BENCH/report.py" record "$side" "$round" "$position" "$WALL" "$logfile" "$LOGS/$name-link.json" \
    "$LOGS/$name-image.json" "$result_arg" "$seconds_arg" "$warmup" "$load" >>"$RUNS6" ||
    fail "$logfile" "cannot read the run's time stamps"
  log "  s6 round $round $side$([[ $warmup == true ]] && echo ' (warm-up)')  mvn deploy ${WALL} s; $(python3 "$BENCH/report.py" ci-run "$RUNS6")"
}

# s6: a warm-up round (it also makes the cache when the registry has none), then PAIRS rounds of
# A B C, each round's order rotated by one (A B C, B C A, C A B, ...).
s6() {
  : >"$RUNS6"
  S6_BUILD_ARGS=$LOGS/s6-build-args
  s6_run A 0 1 true
  # Side B passes the build arguments the plugin passed (BASE_IMAGE, SOURCE_DATE_EPOCH), so that
  # all three sides build the same Dockerfile with the same inputs and share one cache.
  python3 "$BENCH/report.py" build-args "$CI_PROJECT/target/layercache/image.json" >"$S6_BUILD_ARGS"
  s6_run B 0 2 true
  s6_run C 0 3 true
  local round position
  for ((round = 1; round <= PAIRS; round++)); do
    for ((position = 0; position < ${#SIDES[@]}; position++)); do
      s6_run "${SIDES[(round - 1 + position) % ${#SIDES[@]}]}" "$round" $((position + 1)) false
    done
  done
}

# 6n: no change after prune, CI=true (the registry route), on bench/ci: the build goal against its
# own recorded command, as scenario 2.
s6n_plugin() {
  forget_local_state "$CI_BUILDER"
  PROJECT=$CI_PROJECT MVN_ENV=(CI=true)
  plugin_run 6n "$1" -Dlayercache.fingerprint=false
  PROJECT=$SAMPLE MVN_ENV=()
  expect_dependency_stage "$LOGS/s6n-p$1-plugin.log" cached
  [[ $(json_get "$PLUGIN_RESULT" output) == registry ]] || fail "$LOGS/s6n-p$1-plugin.log" "not the registry route"
}
s6n_raw() {
  forget_local_state "$CI_BUILDER"
  PROJECT=$CI_PROJECT MVN_ENV=(CI=true)
  raw_run 6n "$1" "$LOGS/command-s6n.json"
  PROJECT=$SAMPLE MVN_ENV=()
  expect_dependency_stage "$LOGS/s6n-p$1-raw.log" cached
}

# ---------------------------------------------------------------- scenario 7: Java layers against Jib

readonly JAVA_TAG=1.0.0 # bench/java's project version, the image's tag
readonly JAVA_SIDES=(L F J)
declare -A JAVA_REPOSITORY=([L]=bench-java-layers [F]=bench-java-fat [J]=bench-java-jib)

# The base image of all three sides, built once (bench/java/base/Dockerfile: the environment's Java
# runtime and 120 MB of random bytes) and pushed as bench-java-base:1; a later run reuses it.
prepare_java_base() {
  local name=${JAVA_BASE%:*} tag=${JAVA_BASE#*:} logfile=$WORK/java-base.log context=$WORK/java-base
  if ! curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://${LOOPBACK_REGISTRY}/v2/${name}/manifests/${tag}" 2>/dev/null; then
    [[ -n $JRE_IMAGE ]] || fail /dev/null "no jre.image in the test environment's env.properties"
    log "building the base image ${LOOPBACK_REGISTRY}/${JAVA_BASE} (${JRE_IMAGE} and a 120 MB layer)"
    rm -rf "$context"
    mkdir -p "$context"
    cp "$JAVA_PROJECT/base/Dockerfile" "$context/"
    head -c 120000000 /dev/urandom >"$context/ballast"
    docker buildx build --builder "$JAVA_BUILDER" --progress=plain --provenance=false --build-arg "JRE_IMAGE=$JRE_IMAGE" \
      --output "type=image,name=${LOOPBACK_REGISTRY}/${JAVA_BASE},push=true,oci-mediatypes=true" "$context" \
      >"$logfile" 2>&1 || fail "$logfile" "cannot build the base image ${JAVA_BASE}"
    rm -rf "$context"
  fi
  JAVA_BASE_FACTS=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://${LOOPBACK_REGISTRY}/v2/${name}/manifests/${tag}" | python3 "$BENCH/report.py" base-facts "$JRE_IMAGE")
}

# change_greeting: the one-line change, a new string in the controller; its text is left in EDIT.
change_greeting() {
  EDIT=BenchEdit$(date +%s%N)
  sed -i -E "s/return \"hello [A-Za-z0-9]+\";/return \"hello ${EDIT}\";/" "$JAVA_SOURCE"
  grep -q "\"hello ${EDIT}\"" "$JAVA_SOURCE" || fail /dev/null "cannot change the string in ${JAVA_SOURCE#"$ROOT"/}"
}

# s7_run SIDE ROUND POSITION KIND: one `mvn deploy` of bench/java on a fresh CI machine after a
# one-line change, checked and recorded in LOGS/runs7.jsonl. KIND: warmup (untimed, not in the
# tables), cold (a repository the registry has never seen) or measured.
s7_run() {
  local side=$1 round=$2 position=$3 kind=$4 name="s7-$4-r$2-$1"
  local logfile=$LOGS/$name.log result=$JAVA_PROJECT/target/layercache/image.json
  local repository=${JAVA_REPOSITORY[$side]} jib_cache=$WORK/jib-cache/$NET-$name
  [[ $kind != cold ]] || repository+=-cold-$RUN_ID-$NET-r$round
  local args=(deploy "${STAMPS[@]}" -Dbench.image="$REGISTRY/$repository")
  case $side in
    L) ;;
    F) args+=(-Dlayercache.dockerfile=Dockerfile.fat) ;;
    # New cache directories: a fresh CI machine for Jib (nothing of the base image, no layers built before).
    J) args+=(-Pjib -Djib.baseImageCache="$jib_cache/base" -Djib.applicationCache="$jib_cache/application"
      -Djib.disableUpdateChecks=true) ;;
  esac
  change_greeting
  forget_local_state "$JAVA_BUILDER"
  # A fresh checkout as well: nothing compiled, packaged or laid out before.
  rm -rf "$jib_cache" "$JAVA_PROJECT/target"
  sync
  rm -f "$result"
  local load link_json=-
  load=$(cut -d' ' -f1 /proc/loadavg)
  [[ $NET != link ]] || link_counters reset >/dev/null
  MVN_ENV=(CI=true)
  mvn_project "$JAVA_PROJECT" "$logfile" "${args[@]}"
  MVN_ENV=()
  if [[ $NET == link ]]; then
    link_json=$LOGS/$name-link.json
    link_counters >"$link_json"
  fi
  rm -rf "$jib_cache"

  sed -E 's/^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} //' "$logfile" >"$logfile.plain"
  if [[ $side == J ]]; then
    grep -q "^\[INFO\] Built and pushed image as $REGISTRY/$repository:$JAVA_TAG" "$logfile.plain" ||
      fail "$logfile" "Jib did not say that it pushed $REGISTRY/$repository:$JAVA_TAG"
  else
    [[ -f $result ]] || fail "$logfile" "no $result"
    [[ $(json_get "$result" output) == registry ]] || fail "$logfile" "side $side did not take the registry route"
    [[ -n $(json_get "$result" pushed.digest) ]] || fail "$logfile" "side $side pushed nothing"
    [[ $(json_get "$result" fingerprint.reused) != true ]] || fail "$logfile" "side $side skipped the build"
    local layered=false
    grep -q "Java application in build context 'java-app'" "$logfile.plain" && layered=true
    [[ $layered == "$([[ $side == L ]] && echo true || echo false)" ]] ||
      fail "$logfile" "side $side: the java-app context was $([[ $layered == true ]] || echo 'not ')laid out"
  fi
  # What the registry now serves as the tag: the new string must be in one of its layers.
  python3 "$BENCH/report.py" image "$LOOPBACK_REGISTRY" "$repository" "$JAVA_TAG" "$EDIT" >"$LOGS/$name-image.json" ||
    fail "$logfile" "cannot read ${repository}:${JAVA_TAG} from the registry"
  [[ -n $(json_get "$LOGS/$name-image.json" found_in) ]] ||
    fail "$logfile" "no layer of ${repository}:${JAVA_TAG} holds ${EDIT}: side ${side}'s change did not ship"
  python3 "$BENCH/report.py" record "$side" "$round" "$position" "$WALL" "$logfile" "$link_json" \
    "$LOGS/$name-image.json" "$([[ $side == J ]] && echo - || echo "$result")" - \
    "$([[ $kind == warmup ]] && echo true || { [[ $kind == cold ]] && echo cold || echo false; })" "$load" \
    >>"$LOGS/runs7.jsonl" || fail "$logfile" "cannot read the run's time stamps"
  log "  s7 $kind round $round $side  mvn deploy ${WALL} s$(python3 "$BENCH/report.py" java-run "$LOGS/runs7.jsonl")"
}

# s7: a warm-up round (each side's repository gets an image and, for L and F, a cache, so that the
# measured rounds start where a CI pipeline's next commit does), COLD_PAIRS cold rounds, then PAIRS
# measured rounds; every round's order rotated by one (L F J, F J L, J L F, ...).
s7_rounds() {
  local kind=$1 rounds=$2 round position
  for ((round = 1; round <= rounds; round++)); do
    for ((position = 0; position < ${#JAVA_SIDES[@]}; position++)); do
      s7_run "${JAVA_SIDES[(round - 1 + position) % ${#JAVA_SIDES[@]}]}" "$round" $((position + 1)) "$kind"
    done
  done
}
s7() {
  : >"$LOGS/runs7.jsonl"
  s7_rounds warmup 1
  s7_rounds cold "$COLD_PAIRS"
  s7_rounds measured "$PAIRS"
}

# ---------------------------------------------------------------- the table

summarize() { python3 "$BENCH/report.py" summary "$RUNS" "$1"; }

write_results() {
  local tables=$1 took=$2 options=$3
  {
    echo "# layercache-maven-plugin benchmark"
    echo
    echo "Produced by \`bash bench/run.sh${options}\` on $(date -u '+%Y-%m-%d %H:%M UTC'), in ${took} s."
    echo "Pairs alternate (A B, then B A); scenario 6 runs A B C, then B C A, C A B, scenario 7 L F J, then F J L, J L F; medians and the median of the per-pair ratios."
    echo
    echo '```'
    echo "$MACHINE"
    echo "$SAMPLE_TEXT"
    echo '```'
    echo
    echo "$tables"
  } >"$RESULTS"
}

# run_scenarios: every scenario on the network chosen by use_network.
wants() { [[ $SCENARIOS == *",$1,"* ]]; }
wants_one_of() {
  local scenario
  for scenario; do wants "$scenario" && return 0; done
  return 1
}

run_scenarios() {
  LOGS=$WORK/$NET
  mkdir -p "$LOGS"
  log "[$NET] registry $REGISTRY, base image $BASE_IMAGE"
  if wants 1; then
    log "[$NET] 1 cold, cache exported (${COLD_PAIRS} pairs)"
    in_pairs "$COLD_PAIRS" s1_plugin s1_raw
  fi
  if ! wants 1 && { wants 2 || wants 3; }; then
    log "[$NET] setup: one build of bench/sample, untimed, which makes the registry cache 2 and 3 start from"
    forget_local_state
    mvn_sample "$LOGS/cache-setup.log" package -Dlayercache.fingerprint=false
  fi
  if wants 2; then
    log "[$NET] 2 no change, after prune (${PAIRS} pairs)"
    in_pairs "$PAIRS" s2_plugin s2_raw
  fi
  if wants 3; then
    log "[$NET] 3 one-line source change, after prune (${PAIRS} pairs)"
    in_pairs "$PAIRS" s3_plugin s3_raw
    log "[$NET] 3c setup: the sample as the last build left it, built once, untimed, so that BuildKit holds every step"
    mvn_sample "$LOGS/s3c-setup.log" package -Dlayercache.fingerprint=false
    log "[$NET] 3c no change, every step CACHED: cacheExplain on vs off (${PAIRS} pairs)"
    in_pairs "$PAIRS" s3c_on s3c_off
  fi
  if wants 4; then
    log "[$NET] 4 no change, fingerprint skip (${PAIRS} pairs)"
    s4_setup
    in_pairs "$PAIRS" s4_plugin s4_raw
  fi
  if wants 5; then
    log "[$NET] 5 bench/multi, one module changed, fingerprint off, -T 1 vs -T 2 (${PAIRS} pairs)"
    s5_setup
    in_pairs "$PAIRS" s5_t1 s5_t2
    log "[$NET] 5b bench/multi, one module changed, fingerprint on, -T 1 vs -T 2 (${PAIRS} pairs)"
    in_pairs "$PAIRS" s5b_t1 s5b_t2
  fi
  if wants 6 && [[ $NET == link ]]; then
    log "[$NET] 6 CI as it lives: fresh machine, one-line change, mvn deploy, sides A B C (${PAIRS} rounds and a warm-up)"
    s6
    log "[$NET] 6n bench/ci, no change, after prune, CI=true (${PAIRS} pairs)"
    in_pairs "$PAIRS" s6n_plugin s6n_raw
  elif wants 6; then
    log "[$NET] 6 runs on the link only (its byte counts are link.py's)"
  fi
  if wants 7; then
    log "[$NET] 7 Java layers against Jib: fresh machine, one-line change, mvn deploy, sides L F J (a warm-up round, ${COLD_PAIRS} cold, ${PAIRS} measured)"
    s7
  fi
}

cleanup() {
  stop_link
  restore_sources
}

main() {
  local started tables="" took net options=" --pairs ${PAIRS}"
  [[ $SCENARIOS == ",1,2,3,4,5," ]] || options+=" --scenarios ${SCENARIOS:1:-1}"
  [[ -z $BENCH_BUILDER ]] || options+=" --builder ${BENCH_BUILDER}"
  [[ $RESULTS == "$BENCH/results.md" ]] || options+=" --results ${RESULTS}"
  started=$(now)
  mkdir -p "$WORK"
  rm -rf "$SAMPLE/target" "$MULTI"/target "$MULTI"/svc-*/target "$CI_PROJECT/target" "$JAVA_PROJECT/target" "${WORK:?}"/*
  : >"$RUNS"
  restore_sources
  trap cleanup EXIT

  bring_up
  install_plugin
  if wants 6 || [[ $BENCH_BUILDER == "$CI_BUILDER" ]]; then
    prepare_bench_builder "$CI_BUILDER"
  fi
  if wants 7; then
    prepare_bench_builder "$JAVA_BUILDER"
    prepare_java_base
  fi
  describe_machine
  for net in "${NETWORKS[@]}"; do
    [[ $net == link ]] && start_link
    use_network "$net"
    run_scenarios
    tables+="## Registry on ${net}"$'\n\n'
    ! wants_one_of 1 2 3 4 5 6 || tables+="$(summarize "$net")"$'\n\n'
    if wants 7; then
      tables+="### 7: Java layers against Jib (bench/java, fresh machine, one-line change, mvn deploy, CI=true)"$'\n\n'
      tables+="The java-app context, as side L's warm-up logged it: $(grep -m1 -o "Java application in build context 'java-app'.*" \
        "$WORK/$net/s7-warmup-r1-L.log.plain" || echo '?')"$'\n\n'
      tables+="$(python3 "$BENCH/report.py" java-table "$WORK/$net/runs7.jsonl" "$net")"$'\n\n'
    fi
    if [[ $net == link ]] && wants 6; then
      tables+="### 6: CI as it lives (bench/ci, fresh machine, one-line change, mvn deploy, CI=true)"$'\n\n'
      tables+="$(python3 "$BENCH/report.py" ci-table "$RUNS6")"$'\n\n'
    fi
  done
  ((${#NETWORKS[@]} == 2)) || options+=" --network ${NETWORKS[0]}"
  [[ " ${NETWORKS[*]} " != *" link "* ]] ||
    options+=" --link-delay-ms ${LINK_DELAY_MS} --link-rate ${LINK_RATE} --link-shared-rate ${LINK_SHARED_RATE}"

  took=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
  write_results "$tables" "$took" "$options"
  echo
  echo "$MACHINE"
  echo "$SAMPLE_TEXT"
  echo
  echo "$tables"
  log "took ${took} s; tables written to ${RESULTS#"$ROOT"/}, logs in bench/target/"
}

main
