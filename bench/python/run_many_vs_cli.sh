#!/usr/bin/env bash
# BENCHMARKS.md, "From Python": hedgesim.run_many of sweeps/bench-10k.toml's runs (10,000 runs × 80
# turns of the teaching dyad, one configuration) against `hedgesim sweep` of the same file, whole
# process each (interpreter start, imports and the DataFrame included; the sweep writes its
# folder), alternating, ROUNDS times; then the cost of handing 10^6 rows back to pandas.
# Usage: bench/python/run_many_vs_cli.sh PYTHON [ROUNDS]   (PYTHON: a venv's python with hedgesim,
# numpy and pandas installed; the binary is target/release/hedgesim, or $HEDGESIM)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${1:?give the python of a venv with hedgesim installed}
ROUNDS=${2:-5}
HEDGESIM=${HEDGESIM:-target/release/hedgesim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for r in $(seq "$ROUNDS"); do
  /usr/bin/time -f "cli    round $r: %e s, peak RSS %M KB" "$HEDGESIM" sweep sweeps/bench-10k.toml --out "$TMP/s$r" --quiet
  /usr/bin/time -f "python round $r: %e s, peak RSS %M KB" "$PY" -c '
import hedgesim
runs = hedgesim.run_many(hedgesim.Scenario.from_file("scenarios/teaching-dyad.toml"), None, 10000, seed=1)
assert len(runs) == 10000
'
done
"$PY" - <<'PY'
import time
import hedgesim
from hedgesim import _native
sc = hedgesim.Scenario.bundled("teaching-dyad")
for r in range(5):
    t0 = time.perf_counter()
    hedgesim.run_many(sc, None, 10000, seed=1)
    print(f"run_many in a running interpreter, round {r + 1}: {time.perf_counter() - t0:.3f} s")
t0 = time.perf_counter()
cols = _native.run_many(sc._s, [], b"", 1, 1_000_000, None, 1, 0, False, None)
t1 = time.perf_counter()
df = hedgesim._frame(cols)
t2 = time.perf_counter()
print(f"10^6 runs of 1 turn: native {t1 - t0:.2f} s, columns to a {len(df)}-row DataFrame {t2 - t1:.3f} s, "
      f"{df.memory_usage(deep=False).sum() / 1e6:.0f} MB")
PY
for r in $(seq "$ROUNDS"); do
  /usr/bin/time -f "import hedgesim, numpy, pandas only, round $r: %e s" "$PY" -c 'import hedgesim, pandas'
done
