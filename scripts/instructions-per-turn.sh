#!/usr/bin/env bash
# Instructions per turn of the teaching dyad, counted by callgrind: a cost figure that,
# unlike wall time, repeats whatever else the machine is doing. BENCHMARKS.md records it per commit.
#
#   bash scripts/instructions-per-turn.sh            # builds examples/profile_turn, prints the figure
#   TURNS=100000 PROFILE=dist bash scripts/instructions-per-turn.sh
#   SCENARIO=docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml bash scripts/instructions-per-turn.sh
#
# It runs examples/profile_turn (the turn of the single-turn benchmark, played from the scenario's
# start) for TURNS and for 2·TURNS turns and divides the difference in instructions by TURNS, so the
# process's start-up (reading the scenario, building the world) drops out. It also prints the
# older per-run figure, all instructions of the TURNS-turn process divided by TURNS, which the
# earlier rows of BENCHMARKS.md used. PROFILE is the cargo profile: `dist` (fat LTO, as distributed
# binaries and timings are built) unless set.
set -euo pipefail
cd "$(dirname "$0")/.."

TURNS=${TURNS:-100000}
SCENARIO=${SCENARIO:-scenarios/teaching-dyad.toml}
PROFILE=${PROFILE:-dist}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
cargo build --quiet --locked --profile "$PROFILE" --example profile_turn
EXE=target/$PROFILE/examples/profile_turn

# instructions N: callgrind's total instruction count for N turns (its "Collected" line).
instructions() {
  local log
  log=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$EXE" "$1" "$SCENARIO" 2>&1 >/dev/null)
  awk '/Collected :/ {print $NF}' <<<"$log"
}

one=$(instructions "$TURNS")
two=$(instructions $((2 * TURNS)))
[ -n "$one" ] && [ -n "$two" ] || { echo "no instruction count from callgrind" >&2; exit 1; }
echo "commit:       $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src examples Cargo.toml Cargo.lock || echo ' (with uncommitted changes)')"
echo "binary:       $EXE ($PROFILE profile), $SCENARIO, $("$EXE" "$TURNS" "$SCENARIO")"
echo "instructions: $one for $TURNS turns, $two for $((2 * TURNS))"
awk -v a="$one" -v b="$two" -v n="$TURNS" 'BEGIN {
  printf "per turn:     %.0f (difference of the two runs)\n", (b - a) / n
  printf "per turn:     %.0f (whole %d-turn process / %d, as the earlier rows)\n", a / n, n, n
}'
