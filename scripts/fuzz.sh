#!/usr/bin/env bash
# Fuzz the scenario and sweep parsers with cargo-fuzz (libFuzzer), each target for a fixed time.
#
#   scripts/fuzz.sh [SECONDS]      # seconds per target, default 60
#
# Needs a nightly toolchain and cargo-fuzz; installs them if missing. Not part of CI: run it by
# hand after changing core/src/input.rs, core/src/scenario.rs, core/src/fields.rs or src/sweep/spec.rs. The seed
# corpus is the bundled scenarios and sweeps; crashes land in fuzz/artifacts/<target>/ and the
# script exits non-zero. Reproduce one with `cargo +nightly fuzz run <target> <file>`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "==> installing the nightly toolchain (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

status=0
for target in scenario sweep; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = scenario ]; then seeds=(scenarios/*.toml scenarios/teaching/*.toml); else seeds=(sweeps/*.toml); fi
  cp "${seeds[@]}" "$corpus/"
  echo "==> fuzzing $target for ${secs} s"
  if ! cargo +nightly fuzz run "$target" "$corpus" -- \
      -max_total_time="$secs" -dict=fuzz/toml.dict -max_len=16384 -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1; then
    echo "==> $target: a crash; see fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit "$status"
