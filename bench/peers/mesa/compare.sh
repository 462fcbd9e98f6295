#!/usr/bin/env bash
# Time the Mesa port of the teaching model against hedgesim on the same workload, in one run:
# N runs x (scenario turns) turns of scenarios/teaching-dyad.toml, each engine timed as a whole
# process (wall clock, interpreter or binary start-up and output writing included).
#
#   bash bench/peers/mesa/compare.sh
#
# Environment (all optional):
#   N=1000             runs for every engine (Mesa seeds 0..N-1; hedgesim replications = N)
#   HEDGESIM=path      hedgesim binary; if unset, built with cargo into $CARGO_TARGET_DIR
#   CARGO_TARGET_DIR   default /tmp/mesa-target
#   SCENARIO=path      default scenarios/teaching-dyad.toml (no events; the Mesa port has none)
#   MESA_VENV=dir      venv for Mesa and numpy, created from requirements.txt if missing
#                      (default /tmp/hedgesim-mesa-venv)
#   PYTHON=python3     interpreter used to create the venv
#   HS_REPEATS=11      timed repeats of each hedgesim command (the median is reported)
#   MESA_REPEATS=1     timed repeats of each Mesa command (the median is reported)
#   MESA_PARALLEL=1    also time Mesa's batch_run on all cores (0 to skip)
#   VALIDATE=0         1: first run validate.py (same-model check against hedgesim)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
N=${N:-1000}
SCENARIO=$(realpath "${SCENARIO:-$ROOT/scenarios/teaching-dyad.toml}")
HS_REPEATS=${HS_REPEATS:-11}
MESA_REPEATS=${MESA_REPEATS:-1}
MESA_PARALLEL=${MESA_PARALLEL:-1}
VALIDATE=${VALIDATE:-0}
VENV=${MESA_VENV:-/tmp/hedgesim-mesa-venv}
PYTHON=${PYTHON:-python3}
CORES=$(nproc)
WORK=$(mktemp -d /tmp/mesa-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# 1. Python dependencies, in a venv under /tmp.
if ! "$VENV/bin/python" -c 'import mesa, numpy, pandas' 2>/dev/null; then
  echo "installing Mesa and numpy into $VENV (requirements.txt) ..." >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet -r "$HERE/requirements.txt"
fi
PY="$VENV/bin/python"
export PYTHONDONTWRITEBYTECODE=1 # keep __pycache__ out of the checkout

# 2. hedgesim, built in release mode unless a binary is given.
if [ -z "${HEDGESIM:-}" ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/mesa-target}
  echo "building hedgesim (cargo build --release, target $CARGO_TARGET_DIR) ..." >&2
  (cd "$ROOT" && cargo build --release --quiet)
  HEDGESIM=$CARGO_TARGET_DIR/release/hedgesim
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

# wall CMD...: run CMD once (output to $WORK/last.out) and print its wall-clock seconds.
wall() {
  local t0 t1
  t0=$(date +%s.%N)
  if ! "$@" >"$WORK/last.out" 2>&1; then
    echo "failed: $*" >&2
    cat "$WORK/last.out" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f", m}'; }

# Each hedgesim repeat writes a fresh folder, so no clean-up falls inside the timed region.
HS_RUN=0
hedgesim_sweep() {
  HS_RUN=$((HS_RUN + 1))
  HS_LAST="$WORK/hs-$HS_RUN"
  "$HEDGESIM" sweep "$WORK/sweep.toml" --out "$HS_LAST" --quiet --threads "$1"
}
mesa_batch() { "$PY" "$HERE/hedge_mesa.py" batch "$SCENARIO" --runs "$N" --processes "$1" --out "$WORK/mesa-runs.csv"; }

# time_engine NAME REPEATS CMD...: median whole-process wall time of REPEATS runs.
declare -A SECS
time_engine() {
  local name=$1 repeats=$2 i
  shift 2
  : >"$WORK/times"
  for ((i = 0; i < repeats; i++)); do wall "$@" >>"$WORK/times"; done
  SECS[$name]=$(median <"$WORK/times")
  echo "  $name: $(tr '\n' ' ' <"$WORK/times")s" >&2
}

CPU=$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
echo "workload: $N runs x $TURNS turns of $(basename "$SCENARIO") = $TOTAL turns per engine"
echo "machine:  $CORES cores ($CPU), $(uname -sr)"
echo "versions: $("$HEDGESIM" --version); Python $("$PY" -c 'import platform; print(platform.python_version())'), Mesa $("$PY" -c 'import mesa; print(mesa.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)')"
echo "timing:   whole-process wall clock; median of $MESA_REPEATS (Mesa) / $HS_REPEATS (hedgesim) runs"
echo

echo "timing ..." >&2
time_engine mesa1 "$MESA_REPEATS" mesa_batch 1
MESA_INPROC=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^wall_s=/) {sub("wall_s=", "", $i); print $i}}' "$WORK/last.out")
if [ "$MESA_PARALLEL" = 1 ]; then
  time_engine mesaP "$MESA_REPEATS" mesa_batch "$CORES"
fi
time_engine hs1 "$HS_REPEATS" hedgesim_sweep 1
time_engine hsP "$HS_REPEATS" hedgesim_sweep "$CORES"
[ "$(($(wc -l <"$HS_LAST/runs.csv") - 1))" = "$N" ] || { echo "hedgesim wrote the wrong number of runs" >&2; exit 1; }
[ "$(($(wc -l <"$WORK/mesa-runs.csv") - 1))" = "$N" ] || { echo "Mesa wrote the wrong number of runs" >&2; exit 1; }

rate() { echo "$TOTAL / $1" | bc -l; }
row() { printf "%-44s %10.3f %14.0f %14s\n" "$1" "$2" "$(rate "$2")" "$3"; }
ratio() {
  local r
  r=$(echo "$1 / $2" | bc -l)
  if [ "$(echo "$r < 10" | bc -l)" = 1 ]; then printf "%.2fx" "$r"; else printf "%.0fx" "$r"; fi
}

printf "%-44s %10s %14s %14s\n" "engine" "wall s" "turns/s" "vs Mesa 1 proc"
row "Mesa 3 (batch_run, 1 process)" "${SECS[mesa1]}" "1.00x"
if [ "$MESA_PARALLEL" = 1 ]; then
  row "Mesa 3 (batch_run, $CORES processes)" "${SECS[mesaP]}" "$(ratio "${SECS[mesa1]}" "${SECS[mesaP]}")"
fi
row "hedgesim sweep --threads 1" "${SECS[hs1]}" "$(ratio "${SECS[mesa1]}" "${SECS[hs1]}")"
row "hedgesim sweep --threads $CORES" "${SECS[hsP]}" "$(ratio "${SECS[mesa1]}" "${SECS[hsP]}")"
echo
echo "ratio of turns/s, hedgesim / Mesa:"
echo "  1 thread vs 1 process:        $(ratio "${SECS[mesa1]}" "${SECS[hs1]}")"
echo "  $CORES threads vs 1 process:        $(ratio "${SECS[mesa1]}" "${SECS[hsP]}")"
if [ "$MESA_PARALLEL" = 1 ]; then
  echo "  $CORES threads vs $CORES processes:      $(ratio "${SECS[mesaP]}" "${SECS[hsP]}")"
fi
printf "note: Mesa's batch alone (last 1-process run, perf_counter inside Python, without interpreter start-up\n      and imports) took %.3f s = %.0f turns/s\n" \
  "$MESA_INPROC" "$(rate "$MESA_INPROC")"
