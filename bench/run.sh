#!/usr/bin/env bash
# Benchmark of layercache-maven-plugin against the same `docker buildx build` run by hand.
#
# Usage: bash bench/run.sh [--pairs N] [--quick]
#   --pairs N  measured pairs per scenario (default 5; the cold scenario runs min(N, 3))
#   --quick    2 pairs per scenario, a smoke run
#
# Scenarios (bench/sample unless said otherwise; "plugin" is the build goal's own wall time,
# goalSeconds from target/layercache/image.json, "raw" the wall time of the plugin's own
# `command` run in bash with a fresh --metadata-file and every other flag unchanged):
#   1 cold: BuildKit's cache pruned, image removed, registry cache manifest deleted (fingerprint off)
#   2 no change after prune: only the registry cache helps (fingerprint off)
#   3 one-line source change after prune (fingerprint off)
#   4 no change, fingerprint on and the fp- tag pushed: the build is skipped; raw is scenario 2's command
#   5 bench/multi, one of six modules changed: whole `mvn package` wall time, -T 2 against -T 1
# Pairs alternate A B, B A, ...; the table shows medians and the median of the pair ratios.
# Writes bench/results.md; logs and raw measurements go to bench/target/.
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

pairs=5
while (($#)); do
  case $1 in
    --pairs) pairs=${2:?--pairs needs a number}; shift 2 ;;
    --quick) pairs=2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $pairs =~ ^[1-9][0-9]*$ ]] || { echo "--pairs takes a positive number" >&2; exit 2; }
readonly PAIRS=$pairs
readonly COLD_PAIRS=$((PAIRS < 3 ? PAIRS : 3))

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
json_get() {
  python3 - "$1" "$2" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else str(value).lower() if isinstance(value, bool) else value)
PY
}

# ---------------------------------------------------------------- environment

bring_up() {
  bash src/env/env.sh up
  local props="${LAYERCACHE_ENV_DIR:-/var/lib/layercache-env}/env.properties"
  REGISTRY=$(sed -n 's/^registry\.plain=//p' "$props")
  BASE_IMAGE=$(sed -n 's/^base\.image=//p' "$props")
  readonly REGISTRY BASE_IMAGE
  [[ -n $REGISTRY && -n $BASE_IMAGE ]] || { echo "[bench] no registry or base image in $props" >&2; exit 1; }
}

install_plugin() {
  log "installing the plugin"
  local logfile=$WORK/install.log
  ./mvnw -B -q -ntp install -DskipTests -Dspotless.check.skip=true >"$logfile" 2>&1 ||
    fail "$logfile" "the plugin did not install"
}

describe_machine() {
  local memory
  memory=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  MACHINE="machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), ${memory} memory
docker: Engine $(docker version -f '{{.Server.Version}}'), $(docker buildx version), builder $(docker buildx inspect | sed -n 's/^Driver:[[:space:]]*//p' | head -1) driver, $(docker info -f '{{.DriverStatus}}' | grep -q 'io.containerd.snapshotter' && echo 'containerd image store' || echo 'classic image store')
plugin: io.github.layercache:layercache-maven-plugin 0.1.0-SNAPSHOT from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main 2>/dev/null || echo ' + uncommitted changes in src/main'); Maven $(./mvnw -v 2>/dev/null | sed -n 's/^Apache Maven \([^ ]*\).*/\1/p'), Java $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p')
registry: plain distribution registry at ${REGISTRY} (loopback), base image ${BASE_IMAGE}"
  SAMPLE_TEXT="bench/sample: one jar module (bench-service); Dockerfile: a dependency stage 'RUN ... sleep 8' writing a 120 MB incompressible layer (stands in for a JRE and OS packages), then COPY --from of it and COPY of the jar; cache type=registry,mode=max,image-manifest=true,oci-mediatypes=true
bench/multi: a parent with six jar modules (svc-a..svc-f), each the same shape with a 'sleep 1' dependency stage writing a 120 MB layer; svc-a is the one changed"
  readonly MACHINE SAMPLE_TEXT
  echo "$MACHINE"
}

# ---------------------------------------------------------------- state between runs

# BuildKit's local cache and the loaded images gone, as on a fresh CI machine.
forget_local_state() {
  docker buildx prune -af >/dev/null
  local images
  images=$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep "^${REGISTRY}/bench-" || true)
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
append_line() { echo "final class BenchEdit$(date +%s%N) {}" >>"$1"; }

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

restore_sources() { sed -i '/^final class BenchEdit[0-9]* {}$/d' "$SAMPLE_SOURCE" "$MULTI_SOURCE"; }

# ---------------------------------------------------------------- measured runs

# record SCENARIO PAIR SIDE SECONDS MVN_WALL GOAL BUILDX CACHED TOTAL
record() { (IFS=$'\t'; echo "$*") >>"$RUNS"; }

# mvn_sample LOGFILE ARGS...: Maven on bench/sample; sets WALL.
mvn_sample() {
  local logfile=$1 started
  shift
  started=$(now)
  ./mvnw -B -ntp -f "$SAMPLE/pom.xml" -Dbench.registry="$REGISTRY" -Dbase.image="$BASE_IMAGE" "$@" \
    >"$logfile" 2>&1 || fail "$logfile" "mvn $* on bench/sample"
  WALL=$(seconds_since "$started")
}

# plugin_run SCENARIO PAIR ARGS...: mvn package on the sample, measured by the goal's own clock.
plugin_run() {
  local scenario=$1 pair=$2 logfile="$WORK/s$1-p$2-plugin.log" result=$SAMPLE/target/layercache/image.json
  shift 2
  rm -f "$result"
  mvn_sample "$logfile" package "$@"
  [[ -f $result ]] || fail "$logfile" "no $result"
  local goal buildx cached total
  goal=$(json_get "$result" goalSeconds)
  buildx=$(json_get "$result" durationSeconds)
  cached=$(json_get "$result" steps.cached)
  total=$(json_get "$result" steps.total)
  if [[ -n $(json_get "$result" command) ]]; then
    cp "$result" "$WORK/command-s${scenario}.json"
  fi
  record "$scenario" "$pair" plugin "$goal" "$WALL" "$goal" "$buildx" "$cached" "$total"
  PLUGIN_RESULT=$result
  log "  s$scenario pair $pair plugin  goal ${goal} s (buildx ${buildx} s, mvn ${WALL} s, ${cached}/${total} steps cached)"
}

# raw_run SCENARIO PAIR COMMAND_JSON: the plugin's command, verbatim but for a fresh --metadata-file.
raw_run() {
  local scenario=$1 pair=$2 source=$3 logfile="$WORK/s$1-p$2-raw.log"
  local metadata="$WORK/raw-metadata-s$1-p$2.json" started wall cached
  [[ -f $source ]] || fail /dev/null "no plugin command in $source yet"
  rm -f "$metadata"
  local argv=()
  mapfile -d '' argv < <(python3 - "$source" "$metadata" <<'PY'
import json, sys
argv = json.load(open(sys.argv[1]))["command"]
argv[argv.index("--metadata-file") + 1] = sys.argv[2]
sys.stdout.write("\0".join(argv) + "\0")
PY
  )
  started=$(now)
  "${argv[@]}" >"$logfile" 2>&1 || fail "$logfile" "raw ${argv[*]}"
  wall=$(seconds_since "$started")
  cached=$(grep -c '^#[0-9]* CACHED' "$logfile" || true)
  record "$scenario" "$pair" raw "$wall" - - - "$cached" -
  log "  s$scenario pair $pair raw     ${wall} s (${cached} CACHED)"
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
  expect_dependency_stage "$WORK/s1-p$1-plugin.log" ran
}
s1_raw() {
  forget_everything
  raw_run 1 "$1" "$WORK/command-s1.json"
  expect_dependency_stage "$WORK/s1-p$1-raw.log" ran
}

s2_plugin() {
  forget_local_state
  plugin_run 2 "$1" -Dlayercache.fingerprint=false
  expect_dependency_stage "$WORK/s2-p$1-plugin.log" cached
}
s2_raw() {
  forget_local_state
  raw_run 2 "$1" "$WORK/command-s2.json"
  expect_dependency_stage "$WORK/s2-p$1-raw.log" cached
}

s3_plugin() {
  append_line "$SAMPLE_SOURCE"
  forget_local_state
  plugin_run 3 "$1" -Dlayercache.fingerprint=false
  (($(json_get "$PLUGIN_RESULT" steps.cached) < $(json_get "$PLUGIN_RESULT" steps.total))) ||
    fail "$WORK/s3-p$1-plugin.log" "the source change did not reach the image (every step cached)"
  expect_dependency_stage "$WORK/s3-p$1-plugin.log" cached
}
s3_raw() {
  append_line "$SAMPLE_SOURCE"
  mvn_sample "$WORK/s3-p$1-jar.log" package -Dlayercache.skip=true
  forget_local_state
  raw_run 3 "$1" "$WORK/command-s3.json"
  expect_dependency_stage "$WORK/s3-p$1-raw.log" cached
}

s4_plugin() {
  forget_local_state
  plugin_run 4 "$1"
  [[ $(json_get "$PLUGIN_RESULT" fingerprint.reused) == true ]] ||
    fail "$WORK/s4-p$1-plugin.log" "the build was not skipped although the fp- tag was pushed"
}
s4_raw() {
  forget_local_state
  raw_run 4 "$1" "$WORK/command-s2.json"
  expect_dependency_stage "$WORK/s4-p$1-raw.log" cached
}

s4_setup() {
  log "  s4 setup: mvn deploy, which pushes the fp- tag"
  forget_local_state
  mvn_sample "$WORK/s4-deploy.log" deploy
}

# mvn_multi LOGFILE ARGS...: Maven on bench/multi; sets WALL.
mvn_multi() {
  local logfile=$1 started
  shift
  started=$(now)
  ./mvnw -B -ntp -f "$MULTI/pom.xml" -Dbench.registry="$REGISTRY" -Dbase.image="$BASE_IMAGE" "$@" \
    >"$logfile" 2>&1 || fail "$logfile" "mvn $* on bench/multi"
  WALL=$(seconds_since "$started")
}

# s5_run PAIR THREADS: svc-a changed again, then the whole reactor's mvn package.
s5_run() {
  local pair=$1 threads=$2 logfile="$WORK/s5-p$1-T$2.log" module built=() reused
  append_line "$MULTI_SOURCE"
  forget_local_state
  rm -f "$MULTI"/svc-*/target/layercache/image.json
  mvn_multi "$logfile" -T "$threads" package
  for module in "${MULTI_MODULES[@]}"; do
    [[ -f $MULTI/$module/target/layercache/image.json ]] || fail "$logfile" "no result file for $module"
    reused=$(json_get "$MULTI/$module/target/layercache/image.json" fingerprint.reused)
    [[ $reused == true ]] || built+=("$module")
  done
  [[ ${built[*]} == "$MULTI_CHANGED" ]] ||
    fail "$logfile" "expected only $MULTI_CHANGED to be built, built: ${built[*]:-none}"
  record 5 "$pair" "T$threads" "$WALL" "$WALL" - - - -
  log "  s5 pair $pair -T $threads  mvn package ${WALL} s (built: ${built[*]})"
}
s5_t1() { s5_run "$1" 1; }
s5_t2() { s5_run "$1" 2; }

# 5b: the same change with the fingerprint check off, so that every module runs a cached build
# from the registry: what -T buys when the builds themselves are the work.
s5b_run() {
  local pair=$1 threads=$2 logfile="$WORK/s5b-T$2-$1.log"
  append_line "$MULTI_SOURCE"
  forget_local_state
  rm -f "$MULTI"/svc-*/target/layercache/image.json
  mvn_multi "$logfile" -T "$threads" package -Dlayercache.fingerprint=false
  for module in "${MULTI_MODULES[@]}"; do
    [[ -f $MULTI/$module/target/layercache/image.json ]] || fail "$logfile" "no result file for $module"
  done
  record 5b "$pair" "T$threads" "$WALL" "$WALL" - - - -
  log "  s5b pair $pair -T $threads  mvn package ${WALL} s (all six built)"
}
s5b_t1() { s5b_run "$1" 1; }
s5b_t2() { s5b_run "$1" 2; }

s5_setup() {
  log "  s5 setup: mvn -T 2 deploy of bench/multi, which pushes the six fp- tags"
  forget_local_state
  mvn_multi "$WORK/s5-deploy.log" -T 2 deploy
}

# ---------------------------------------------------------------- the table

summarize() {
  python3 - "$RUNS" "$PAIRS" "$COLD_PAIRS" <<'PY'
import csv, sys
from statistics import median

runs = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
pairs, cold_pairs = sys.argv[2], sys.argv[3]

def rows(scenario, side):
    return {r[1]: r for r in runs if r[0] == scenario and r[2] == side}

def num(value):
    return float(value)

scenarios = [
    ("1", "cold, cache exported (fingerprint off)", "plugin", "raw", None),
    ("2", "no change, after prune (fingerprint off)", "plugin", "raw", 1.10),
    ("3", "one-line source change, after prune (fingerprint off)", "plugin", "raw", None),
    ("4", "no change, fingerprint skip vs raw of 2", "plugin", "raw", 0.25),
    ("5", "bench/multi, 1 of 6 changed: -T 2 vs -T 1 (mvn wall)", "T2", "T1", 0.65),
    ("5b", "bench/multi, 1 of 6 changed, fingerprint off: -T 2 vs -T 1 (mvn wall)", "T2", "T1", 0.65),
]
out = []
out.append("| # | scenario | pairs | plugin median (s) | raw median (s) | median pair ratio | target | met |")
out.append("|---|---|---|---|---|---|---|---|")
for number, title, a_side, b_side, target in scenarios:
    a, b = rows(number, a_side), rows(number, b_side)
    common = sorted(set(a) & set(b), key=int)
    if not common:
        continue
    a_med = median(num(a[p][3]) for p in common)
    b_med = median(num(b[p][3]) for p in common)
    ratio = median(num(a[p][3]) / num(b[p][3]) for p in common)
    goal = "—" if target is None else f"≤ {target:.2f}"
    met = "n/a" if target is None else ("yes" if ratio <= target else "NO")
    out.append(f"| {number} | {title} | {len(common)} | {a_med:.2f} | {b_med:.2f} | {ratio:.3f} | {goal} | {met} |")
out.append("")
out.append("Scenarios 5 and 5b: the plugin column is `mvn -T 2 package`, the raw column `mvn -T 1 package` (whole wall time). In 5 the five unchanged modules are skipped by their fingerprint; in 5b (`-Dlayercache.fingerprint=false`) all six run a build from the registry cache.")
out.append("")
out.append("Where the plugin runs' time goes (medians over the plugin runs of each scenario, seconds):")
out.append("")
out.append("| # | mvn wall | goalSeconds | durationSeconds (buildx) | mvn − goal (JVM start-up, other mojos) | goal − buildx (plugin's own work) |")
out.append("|---|---|---|---|---|---|")
for number, *_ in scenarios[:4]:
    plugin = list(rows(number, "plugin").values())
    if not plugin:
        continue
    wall = [num(r[4]) for r in plugin]
    goal = [num(r[5]) for r in plugin]
    buildx = [num(r[6]) for r in plugin]
    out.append(
        f"| {number} | {median(wall):.2f} | {median(goal):.2f} | {median(buildx):.2f} "
        f"| {median(w - g for w, g in zip(wall, goal)):.2f} | {median(g - x for g, x in zip(goal, buildx)):.2f} |")
print("\n".join(out))
PY
}

write_results() {
  local table=$1 took=$2
  {
    echo "# layercache-maven-plugin benchmark"
    echo
    echo "Produced by \`bash bench/run.sh --pairs ${PAIRS}\` on $(date -u '+%Y-%m-%d %H:%M UTC'), in ${took} s."
    echo "Pairs alternate (A B, then B A); medians and the median of the per-pair ratios plugin/raw."
    echo "\"plugin\" is the build goal's own wall time (goalSeconds); \"raw\" is the plugin's exact"
    echo "\`docker buildx build\` command run in bash. Maven's own cost is in the second table."
    echo
    echo '```'
    echo "$MACHINE"
    echo "$SAMPLE_TEXT"
    echo '```'
    echo
    echo "$table"
  } >"$BENCH/results.md"
}

main() {
  local started table took
  started=$(now)
  mkdir -p "$WORK"
  rm -rf "$SAMPLE/target" "$MULTI"/target "$MULTI"/svc-*/target "$WORK"/*.log "$WORK"/*.json
  : >"$RUNS"
  restore_sources
  trap restore_sources EXIT

  bring_up
  install_plugin
  describe_machine

  log "1/5 cold, cache exported (${COLD_PAIRS} pairs)"
  in_pairs "$COLD_PAIRS" s1_plugin s1_raw
  log "2/5 no change, after prune (${PAIRS} pairs)"
  in_pairs "$PAIRS" s2_plugin s2_raw
  log "3/5 one-line source change, after prune (${PAIRS} pairs)"
  in_pairs "$PAIRS" s3_plugin s3_raw
  log "4/5 no change, fingerprint skip (${PAIRS} pairs)"
  s4_setup
  in_pairs "$PAIRS" s4_plugin s4_raw
  log "5/5 bench/multi, one module changed, -T 1 vs -T 2 (${PAIRS} pairs)"
  s5_setup
  in_pairs "$PAIRS" s5_t1 s5_t2
  log "5b bench/multi, one module changed, fingerprint off, -T 1 vs -T 2 (${PAIRS} pairs)"
  in_pairs "$PAIRS" s5b_t1 s5b_t2

  table=$(summarize)
  took=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
  write_results "$table" "$took"
  echo
  echo "$MACHINE"
  echo "$SAMPLE_TEXT"
  echo
  echo "$table"
  echo
  log "took ${took} s; table written to bench/results.md, logs in bench/target/"
}

main
