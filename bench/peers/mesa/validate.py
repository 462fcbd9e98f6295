"""Check that the Mesa port runs the same model as the hedgesim binary it is given.

Three checks:

1. Replay (exact). For seeds 1..K, run `hedgesim run --seed S --format csv`, take the great power's
   action and the outcome of each partner test (read back from the next turn's belief) from its
   output, and force them on the Mesa model
   (built with per-turn collection, so its DataCollector yields the same columns). Every other
   column of a turn (mix, A, R, x, H, label, tilt, beliefs, imminence, V, π, mil, dep, support) is a
   deterministic function of those, so it must agree to rounding: the check fails on any label or
   tilt mismatch or any difference above 1e-9. The realised payoff is not compared: it needs
   hedgesim's draws of κ, z and ε.
   The same replay runs on teaching-dyad-events.toml, the teaching dyad with one event of every type
   of the vocabulary (expanded from event_types.json) and a free-number event.
2. Distribution (statistical). N runs of each engine on its own random streams: hedgesim's
   `sweep` (runs.csv) against the port's runs without per-turn collection (the same per-run
   summary). Compared: label shares and mean H, x, A, R, mil, dep at the last turn, the share of
   turns spent hedging, balancing or bandwagoning, the run means of H, x and the realised payoff,
   and the great power's action counts. Differences are two-sample z scores; the check fails when
   any |z| exceeds 3.5 (with about 25 correlated rows, a correct port fails by chance about 1% of
   the time; the seeds are fixed, so a given binary and port always give the same verdict).

Exit status 0 when both pass, 1 otherwise.

Usage: python validate.py --hedgesim PATH [--runs 1000] [--replay-seeds 100] [--processes 2]
                          [--scenario ...] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hedge_mesa import ACTIONS, CODES, HedgingModel, load_scenario, run_batch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.normpath(os.path.join(HERE, "../../../scenarios/teaching-dyad.toml"))
# The teaching dyad with one event of every type of the vocabulary: the port's events, typed ones
# expanded from event_types.json, replayed exactly against hedgesim's.
EVENTS_SCENARIO = os.path.join(HERE, "teaching-dyad-events.toml")
REPLAY_TOLERANCE = 1e-9
Z_LIMIT = 3.5


def hedgesim_run(exe: str, scenario: str, seed: int) -> list[dict]:
    out = subprocess.run([exe, "run", scenario, "--seed", str(seed), "--format", "csv"],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def replay(exe: str, scenario: str, seeds: list[int]) -> tuple[float, str, int, int, int]:
    """Force hedgesim's actions and test outcomes on the Mesa model. Returns the largest absolute
    difference over the numeric columns, the column where it was, the number of label or tilt
    mismatches, the turns compared and the coercions replayed."""
    p = load_scenario(scenario)
    if len(p["third_powers"]) != 1:
        raise SystemExit("the replay check infers test outcomes for exactly one third power")
    name = p["third_powers"][0]["name"]
    numeric = ["w_" + c for c in CODES] + ["A", "R", "x", "H", "belief_mean", "belief_var", "plan_var",
                                          "reliability_mean", "imm", "V", "pi", "mil", "dep", "s_" + name]
    def compare(rows, forced, seed):
        model = HedgingModel(p, seed=seed, collect=True, forced=forced)
        model.run_model()
        mesa_rows = model.datacollector.get_model_vars_dataframe().to_dict("records")
        worst, worst_col, mismatches = 0.0, "", 0
        for row, rec in zip(rows, mesa_rows, strict=True):
            for col in numeric:
                d = abs(float(row[col]) - float(rec[col]))
                if not d <= worst:  # also catches NaN
                    worst, worst_col = d, col
            if (row["label"], row["tilt"], row["g_action"]) != (rec["label"], rec["tilt"], rec["g_action"]):
                mismatches += 1
        return (mismatches, worst, worst_col)

    worst, worst_col, mismatches, turns, coercions = 0.0, "", 0, 0, 0
    for seed in seeds:
        rows = hedgesim_run(exe, scenario, seed)
        if len(rows) != p["turns"]:
            raise SystemExit(f"hedgesim wrote {len(rows)} turns for seed {seed}, the scenario has {p['turns']}")
        forced = []
        for t, row in enumerate(rows):
            coercions += row["g_action"] == "coerce"
            # A test's outcome shows in the belief the next turn records, after that turn's events:
            # the model picks the outcome (delivered, failed, or none) that reproduces it.
            forced.append((ACTIONS.index(row["g_action"]), float(row["reliability_mean"])))
        m, w, col = compare(rows, forced, seed)
        mismatches += m
        if not w <= worst:
            worst, worst_col = w, col
        turns += len(rows)
    return worst, worst_col, mismatches, turns, coercions


def hedgesim_sweep(exe: str, scenario: str, runs: int, workdir: str) -> list[dict]:
    sweep = os.path.join(workdir, "validate-sweep.toml")
    with open(sweep, "w") as f:
        f.write(f'format = 1\nscenario = "{scenario}"\nreplications = {runs}\nmaster_seed = 1\n')
    out = os.path.join(workdir, "hedgesim-out")
    subprocess.run([exe, "sweep", sweep, "--out", out, "--quiet"], check=True)
    with open(os.path.join(out, "runs.csv"), newline="") as f:
        return list(csv.DictReader(f))


def mean_se(v: list[float]) -> tuple[float, float]:
    n = len(v)
    m = sum(v) / n
    var = sum((x - m) ** 2 for x in v) / (n - 1)
    return m, math.sqrt(var / n)


def z_prop(pa: float, na: int, pb: float, nb: int) -> float:
    pool = (pa * na + pb * nb) / (na + nb)
    se = math.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
    return (pa - pb) / se if se > 0 else 0.0


def compare(hs: list[dict], ms: list[dict], last: int) -> list[tuple[str, str, str, float]]:
    """The distribution table: (quantity, hedgesim, Mesa, z)."""
    table = []

    def prop_row(name, label):
        na, nb = len(hs), len(ms)
        pa = sum(r["label"] == label for r in hs) / na
        pb = sum(r["label"] == label for r in ms) / nb
        table.append((name, f"{pa:.3f}", f"{pb:.3f}", z_prop(pa, na, pb, nb)))

    def mean_row(name, col, digits=3):
        (ma, sa), (mb, sb) = mean_se([float(r[col]) for r in hs]), mean_se([float(r[col]) for r in ms])
        se = math.hypot(sa, sb)
        table.append((name, f"{ma:.{digits}f} ± {sa:.{digits}f}", f"{mb:.{digits}f} ± {sb:.{digits}f}",
                      (ma - mb) / se if se > 0 else 0.0))

    for lab in ["hedging", "balancing", "bandwagoning", "neutral"]:
        prop_row(f"share {lab} at turn {last}", lab)
    for col in ["H", "x", "A", "R"]:
        mean_row(f"mean {col} at turn {last}", col)
    mean_row(f"mean mil at turn {last}", "mil", digits=4)
    mean_row(f"mean dep at turn {last}", "dep")
    for lab in ["hedging", "balancing", "bandwagoning"]:
        mean_row(f"share of turns {lab} (run mean)", f"share_{lab}")
    mean_row("mean H over turns (run mean)", "mean_H")
    mean_row("mean x over turns (run mean)", "mean_x")
    mean_row("mean realised payoff per turn (run mean)", "mean_payoff")
    for a in ACTIONS:
        mean_row(f"{a} actions per run", f"n_{a}", digits=2)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hedgesim", default=os.environ.get("HEDGESIM", "hedgesim"))
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO)
    ap.add_argument("--runs", type=int, default=1000, help="runs of each engine for the distributions")
    ap.add_argument("--replay-seeds", type=int, default=100, help="seeds 1..K replayed exactly")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="Mesa worker processes")
    ap.add_argument("--markdown", help="also write the distribution table here")
    args = ap.parse_args()
    scenario = os.path.abspath(args.scenario)
    last = load_scenario(scenario)["turns"] - 1
    if load_scenario(scenario)["decisions_per_turn"] < 1.0 and args.replay_seeds > 0:
        # hedgesim's CSV records a turn without a decision as `hold`, which a forced replay cannot
        # tell from a decided hold (whose evidence differs): such a file is checked by its
        # distributions only.
        raise SystemExit(f"{scenario}: the great power decides on fewer turns than it has (format 2, "
                         "actions_per_year below turns_per_year); replay cannot force that, use --replay-seeds 0")

    t0 = time.perf_counter()
    worst, worst_col, mismatches, n, nc = replay(args.hedgesim, scenario, list(range(1, args.replay_seeds + 1)))
    replay_ok = mismatches == 0 and worst <= REPLAY_TOLERANCE
    print(f"replay: {args.replay_seeds} seeds, {n} turns ({nc} coercions) forced with hedgesim's actions and "
          f"tests: max |difference| = {worst:.2e} ({worst_col or '-'}) over mix, A, R, x, H, beliefs, imm, V, "
          f"pi, mil, dep, support; label/tilt/action mismatches = {mismatches} "
          f"-> {'PASS' if replay_ok else 'FAIL'}  ({time.perf_counter() - t0:.1f} s)")

    t0 = time.perf_counter()
    worst, worst_col, mismatches, n, nc = replay(args.hedgesim, EVENTS_SCENARIO, list(range(1, args.replay_seeds + 1)))
    events_ok = mismatches == 0 and worst <= REPLAY_TOLERANCE
    replay_ok = replay_ok and events_ok
    print(f"events replay: {os.path.basename(EVENTS_SCENARIO)} (every event type and a free-number event), "
          f"{args.replay_seeds} seeds, {n} turns ({nc} coercions): max |difference| = {worst:.2e} "
          f"({worst_col or '-'}); label/tilt/action mismatches = {mismatches} "
          f"-> {'PASS' if events_ok else 'FAIL'}  ({time.perf_counter() - t0:.1f} s)")

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mesa-validate-") as tmp:
        hs = hedgesim_sweep(args.hedgesim, scenario, args.runs, tmp)
    p = load_scenario(scenario)
    ms = run_batch(p, range(1000, 1000 + args.runs), args.processes, collect=False)
    print(f"distributions: {len(hs)} hedgesim runs (sweep, master_seed 1), {len(ms)} Mesa runs (seeds 1000–"
          f"{999 + args.runs}) ({time.perf_counter() - t0:.1f} s)")
    table = compare(hs, ms, last)
    lines = [f"| quantity ({len(hs)} hedgesim runs, {len(ms)} Mesa runs) | hedgesim | Mesa | z |",
             "|---|---|---|---|"]
    lines += [f"| {name} | {a} | {b} | {z:+.2f} |" for name, a, b, z in table]
    text = "\n".join(lines)
    print(text)
    worst_z = max(abs(r[3]) for r in table)
    dist_ok = worst_z <= Z_LIMIT
    print(f"distributions: largest |z| = {worst_z:.2f} over {len(table)} rows (limit {Z_LIMIT}) "
          f"-> {'PASS' if dist_ok else 'FAIL'}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    print("validate.py:", "PASS" if replay_ok and dist_ok else "FAIL")
    sys.exit(0 if replay_ok and dist_ok else 1)


if __name__ == "__main__":
    main()
