#!/usr/bin/env bash
# The raw side of the benchmark: runs the plugin's recorded `docker buildx build` command unchanged
# but for a fresh --metadata-file, and writes the command's own wall time (seconds) to a file.
# bench/run.sh runs it from inside Maven (profile "raw" of bench/sample), so that it shares the
# conditions of the plugin's build goal: the same phase of the same kind of build, with a JVM around it.
#
# Usage: raw.sh COMMAND_JSON METADATA_FILE SECONDS_FILE
set -euo pipefail
(($# == 3)) || { echo "usage: raw.sh COMMAND_JSON METADATA_FILE SECONDS_FILE" >&2; exit 2; }
command_json=$1 metadata=$2 seconds=$3
[[ -f $command_json ]] || { echo "raw.sh: no recorded command in $command_json" >&2; exit 2; }

argv=()
mapfile -d '' argv < <(python3 - "$command_json" "$metadata" <<'PY'
import json, sys
argv = json.load(open(sys.argv[1]))["command"]
argv[argv.index("--metadata-file") + 1] = sys.argv[2]
sys.stdout.write("\0".join(argv) + "\0")
PY
)
((${#argv[@]} > 0)) || { echo "raw.sh: no command in $command_json" >&2; exit 2; }
rm -f "$metadata" "$seconds"

started=$(date +%s.%N)
"${argv[@]}"
ended=$(date +%s.%N)
awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f\n", b - a }' >"$seconds"
