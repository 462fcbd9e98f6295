#!/usr/bin/env bash
# Time the Mesa port of the teaching model against hedgesim on the same workload, in one run:
# N runs x (scenario turns) turns of scenarios/teaching-dyad.toml, each engine timed as a whole
# process (wall clock and CPU time; interpreter or binary start-up and output writing included).
#
#   bash bench/peers/mesa/compare.sh
#
# Each engine gets the same cores: the 1-core rows run under `taskset -c 0` (hedgesim
# `--threads 1`, Mesa on 1 process), the 2-core rows on both cores (hedgesim `--threads 2`, Mesa on
# 2 worker processes). Mesa runs in both of its modes: with per-turn collection (the DataCollector
# records every turn, `mesa.batch_run`; what Mesa users usually run) and without (only each run's
# summary, hedgesim's runs.csv). The configurations are interleaved, round after round, so that a
# change in the machine's load hits every engine alike; each figure is the median over the rounds.
#
# Environment (all optional):
#   N=1000             runs for every engine (Mesa seeds 0..N-1; hedgesim replications = N)
#   ROUNDS=3           rounds; every configuration runs once per round (hedgesim HS_REPEATS times)
#   HS_REPEATS=5       hedgesim runs per round and configuration (its process lasts ~50 ms)
#   HEDGESIM=path      hedgesim binary; if unset, built with `cargo build --profile dist` (fat LTO)
#   SCENARIO=path      default scenarios/teaching-dyad.toml (no events)
#   MESA_VENV=dir      venv with requirements.txt, created if missing (default /tmp/hedgesim-mesa-venv)
#   PYTHON=python3     interpreter used to create the venv
#   VALIDATE=0         1: first run validate.py (same-model check against hedgesim)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
N=${N:-1000}
ROUNDS=${ROUNDS:-3}
HS_REPEATS=${HS_REPEATS:-5}
SCENARIO=$(realpath "${SCENARIO:-$ROOT/scenarios/teaching-dyad.toml}")
VALIDATE=${VALIDATE:-0}
VENV=${MESA_VENV:-/tmp/hedgesim-mesa-venv}
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d /tmp/mesa-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
command -v taskset >/dev/null || { echo "taskset is needed (util-linux)" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "the 2-core rows need 2 cores; this machine has $(nproc)" >&2; exit 1; }

# 1. Python dependencies, in a venv under /tmp.
if ! "$VENV/bin/python" -c 'import mesa' 2>/dev/null; then
  echo "installing requirements.txt into $VENV ..." >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$HERE/requirements.txt"
fi
PY="$VENV/bin/python"
export PYTHONDONTWRITEBYTECODE=1 # keep __pycache__ out of the checkout

# 2. hedgesim, built with the dist profile (fat LTO) unless a binary is given.
if [ -z "${HEDGESIM:-}" ]; then
  echo "building hedgesim (cargo build --profile dist) ..." >&2
  (cd "$ROOT" && cargo build --profile dist --locked --quiet)
  HEDGESIM=$ROOT/target/dist/hedgesim
fi
HEDGESIM=$(realpath "$HEDGESIM")

TURNS=$("$PY" -c 'import sys, tomllib; print(int(tomllib.load(open(sys.argv[1], "rb")).get("meta", {}).get("turns", 80)))' "$SCENARIO")
TOTAL=$((N * TURNS))

if [ "$VALIDATE" = 1 ]; then
  echo "== same-model check (validate.py) ==" >&2
  "$PY" "$HERE/validate.py" --hedgesim "$HEDGESIM" --scenario "$SCENARIO"
  echo
fi

# 3. The equivalent hedgesim sweep: one configuration, N replications.
cat >"$WORK/sweep.toml" <<EOF
format = 1
scenario = "$SCENARIO"
replications = $N
master_seed = 1
EOF

# The timer: runs a command and prints its wall-clock seconds (perf_counter around the whole
# child process) and CPU seconds (user + system of the child and its children, from rusage).
cat >"$WORK/timed.py" <<'EOF'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
with open(sys.argv[1], "w") as log:
    code = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
wall = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{wall:.4f} {cpu:.4f}")
sys.exit(code)
EOF

# measure NAME CORES CMD...: run CMD once on CORES (a taskset list), append "wall cpu" to $WORK/NAME.
measure() {
  local name=$1 cores=$2
  shift 2
  if ! "$PY" "$WORK/timed.py" "$WORK/last.out" taskset -c "$cores" "$@" >>"$WORK/$name"; then
    echo "failed: $*" >&2
    cat "$WORK/last.out" >&2
    exit 1
  fi
}

MESA=("$PY" "$HERE/hedge_mesa.py" batch "$SCENARIO" --runs "$N" --out "$WORK/mesa-runs.csv")
# rows FILE: the file must hold a header and N rows (every run finished).
rows() { [ "$(($(wc -l <"$1") - 1))" = "$N" ] || { echo "$1: not $N runs" >&2; exit 1; }; }
HS_RUN=0
# hedgesim THREADS CORES: one timed sweep; each writes a fresh folder, so no clean-up is timed.
hedgesim() {
  HS_RUN=$((HS_RUN + 1))
  measure "hs_$1" "$2" "$HEDGESIM" sweep "$WORK/sweep.toml" --out "$WORK/hs-$HS_RUN" --quiet --threads "$1"
  rows "$WORK/hs-$HS_RUN/runs.csv"
}

CPU=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
echo "workload: $N runs x $TURNS turns of $(basename "$SCENARIO") = $TOTAL turns per engine and configuration"
echo "machine:  $(nproc) cores ($CPU), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "versions: $("$HEDGESIM" --version) ($HEDGESIM); Python $("$PY" -c 'import platform; print(platform.python_version())'), Mesa $("$PY" -c 'import mesa; print(mesa.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)')"
echo "timing:   whole process; $ROUNDS interleaved rounds, median (hedgesim: $HS_REPEATS runs per round)"
echo

for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round/$ROUNDS ..." >&2
  measure mesa_collect_1 0 "${MESA[@]}" --processes 1 && rows "$WORK/mesa-runs.csv"
  measure mesa_final_1 0 "${MESA[@]}" --processes 1 --no-collect && rows "$WORK/mesa-runs.csv"
  for ((i = 0; i < HS_REPEATS; i++)); do hedgesim 1 0; done
  measure mesa_collect_2 0,1 "${MESA[@]}" --processes 2 && rows "$WORK/mesa-runs.csv"
  measure mesa_final_2 0,1 "${MESA[@]}" --processes 2 --no-collect && rows "$WORK/mesa-runs.csv"
  for ((i = 0; i < HS_REPEATS; i++)); do hedgesim 2 0,1; done
done

# median NAME FIELD: the median of column FIELD (1 wall, 2 CPU) of $WORK/NAME.
median() { cut -d' ' -f"$2" "$WORK/$1" | sort -g | awk '{a[NR] = $1} END {printf "%.4f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
# ratio MESA HEDGESIM FIELD: how many times more turns/s hedgesim did (field 1 wall, 2 CPU).
ratio() { echo "$(median "$1" "$3") / $(median "$2" "$3")" | bc -l | xargs printf "%.0fx"; }
row() {
  local wall
  wall=$(median "$2" 1)
  printf "%-48s %9.3f %9.3f %12.0f   %s\n" "$1" "$wall" "$(median "$2" 2)" "$(echo "$TOTAL / $wall" | bc -l)" "$(tr '\n' ' ' <"$WORK/$2" | awk '{for (i = 1; i <= NF; i += 2) printf "%s ", $i}')"
}

printf "%-48s %9s %9s %12s   %s\n" "engine (cores)" "wall s" "CPU s" "turns/s" "all wall times"
row "Mesa, per-turn collection, 1 process (1 core)" mesa_collect_1
row "Mesa, no per-turn collection, 1 process (1)" mesa_final_1
row "hedgesim sweep --threads 1 (1 core)" hs_1
row "Mesa, per-turn collection, 2 processes (2)" mesa_collect_2
row "Mesa, no per-turn collection, 2 processes (2)" mesa_final_2
row "hedgesim sweep --threads 2 (2 cores)" hs_2
echo
echo "hedgesim / Mesa, turns per second of wall clock on the same cores (and per CPU second):"
echo "  1 thread vs 1 process:    $(ratio mesa_collect_1 hs_1 1) ($(ratio mesa_collect_1 hs_1 2)) against Mesa with per-turn collection, $(ratio mesa_final_1 hs_1 1) ($(ratio mesa_final_1 hs_1 2)) without"
echo "  2 threads vs 2 processes: $(ratio mesa_collect_2 hs_2 1) ($(ratio mesa_collect_2 hs_2 2)) against Mesa with per-turn collection, $(ratio mesa_final_2 hs_2 1) ($(ratio mesa_final_2 hs_2 2)) without"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
