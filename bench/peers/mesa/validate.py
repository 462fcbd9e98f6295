"""Check that the Mesa port runs the same model as hedgesim.

Two checks:

1. Replay (exact). For a few seeds, run `hedgesim run --format csv`, take the great power's action
   and the outcome of each coercion test from its output, and force them on the Mesa model. Every
   other column of a turn (mix, A, R, x, H, label, beliefs, imminence, V, π, mil, dep, support) is a
   deterministic function of those, so it must agree to rounding. The realised payoff is not
   compared here: it needs hedgesim's draws of κ, z and ε.
2. Distribution (statistical). Run N seeds of each with their own random streams and compare the
   outcome distributions: label shares at turns 40 and 79, mean H, x, mil, dep at turn 79, the mean
   realised payoff and the great power's action counts per run. Differences are given in standard
   errors (two-sample z); |z| > 3 on any row fails.

Usage: python validate.py --hedgesim PATH [--runs 1000] [--scenario ...] [--markdown out.md]
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

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mesa  # noqa: E402

from hedge_mesa import CODES, HedgingModel, load_scenario  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.normpath(os.path.join(HERE, "../../../scenarios/teaching-dyad.toml"))


def hedgesim_run(exe: str, scenario: str, seed: int) -> list[dict]:
    out = subprocess.run([exe, "run", scenario, "--seed", str(seed), "--format", "csv"],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def replay(exe: str, scenario: str, seeds: list[int]) -> tuple[float, int, int, int]:
    """Force hedgesim's actions and test outcomes on the Mesa model; return the largest absolute
    difference over all numeric columns, the number of label mismatches, turns compared and
    coercions replayed."""
    p = load_scenario(scenario)
    if len(p["third_powers"]) != 1:
        raise SystemExit("the replay check infers test outcomes for exactly one third power")
    name = p["third_powers"][0]["name"]
    numeric = ["w_" + c for c in CODES] + ["A", "R", "x", "H", "belief_mean", "belief_var", "plan_var",
                                          "reliability_mean", "imm", "V", "pi", "mil", "dep"]
    worst, label_mismatch, turns, coercions = 0.0, 0, 0, 0
    for seed in seeds:
        rows = hedgesim_run(exe, scenario, seed)
        forced = []
        for t, row in enumerate(rows):
            outcomes = []
            if row["g_action"] == "coerce" and t + 1 < len(rows):
                # A delivered test adds to a, raising the mean; a failed one adds to b, lowering it.
                outcomes = [float(rows[t + 1]["reliability_mean"]) > float(row["reliability_mean"])]
            elif row["g_action"] == "coerce":
                outcomes = [True]  # last turn: the outcome affects no recorded column
            forced.append((row["g_action"], outcomes))
            coercions += row["g_action"] == "coerce"
        model = HedgingModel(p, seed=seed, forced=forced)
        for row in rows:
            model.step()
            rec = dict(model.record)
            for k, c in enumerate(CODES):
                rec["w_" + c] = rec["mix"][k]
            rec["mil"], rec["dep"] = model.state.mil, model.state.dep
            for col in numeric:
                worst = max(worst, abs(float(row[col]) - float(rec[col])))
            worst = max(worst, abs(float(row["s_" + name]) - model.partners[0].support))
            if (row["label"], row["tilt"]) != (rec["label"], rec["tilt"]):
                label_mismatch += 1
            turns += 1
    return worst, label_mismatch, turns, coercions


def hedgesim_sweep(exe: str, scenario: str, runs: int, workdir: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sweep = os.path.join(workdir, "validate-sweep.toml")
    with open(sweep, "w") as f:
        f.write(f'format = 1\nscenario = "{scenario}"\nreplications = {runs}\nmaster_seed = 1\n'
                'series = ["H", "x", "label"]\n')
    out = os.path.join(workdir, "hedgesim-out")
    subprocess.run([exe, "sweep", sweep, "--out", out, "--series", "--quiet"], check=True)
    return pd.read_csv(os.path.join(out, "runs.csv")), pd.read_csv(os.path.join(out, "series.csv"))


def mesa_batch(scenario: str, runs: int) -> pd.DataFrame:
    p = load_scenario(scenario)
    rows = mesa.batch_run(HedgingModel, parameters={"scenario": [p], "seed": range(1000, 1000 + runs)},
                          iterations=1, max_steps=p["turns"], number_processes=None,
                          data_collection_period=1, display_progress=False)
    return pd.DataFrame(rows).drop(columns=["scenario"])


def z_mean(a: np.ndarray, b: np.ndarray) -> float:
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return (a.mean() - b.mean()) / se if se > 0 else 0.0


def z_prop(pa: float, na: int, pb: float, nb: int) -> float:
    pool = (pa * na + pb * nb) / (na + nb)
    se = math.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
    return (pa - pb) / se if se > 0 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hedgesim", default=os.environ.get("HEDGESIM", "hedgesim"))
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--replay-seeds", type=int, default=100)
    ap.add_argument("--markdown", help="also write the table here")
    args = ap.parse_args()
    scenario = os.path.abspath(args.scenario)
    turns = load_scenario(scenario)["turns"]
    mid, last = turns // 2, turns - 1

    t0 = time.perf_counter()
    worst, mism, n, nc = replay(args.hedgesim, scenario, list(range(1, args.replay_seeds + 1)))
    print(f"replay: {args.replay_seeds} seeds, {n} turns ({nc} coercions) forced with hedgesim's actions and tests: "
          f"max |difference| = {worst:.2e} over mix, A, R, x, H, beliefs, imm, V, pi, mil, dep, support; "
          f"label/tilt mismatches = {mism}  ({time.perf_counter() - t0:.1f} s)")

    with tempfile.TemporaryDirectory(prefix="mesa-validate-") as tmp:
        hs_runs, hs_series = hedgesim_sweep(args.hedgesim, scenario, args.runs, tmp)
    t0 = time.perf_counter()
    ms = mesa_batch(scenario, args.runs)
    print(f"mesa batch of {args.runs} runs with per-turn collection: {time.perf_counter() - t0:.1f} s")

    # Per-run tables at the two turns. hedgesim's series.csv rows: run_id, turn, H, x, label.
    hs_mid = hs_series[hs_series.turn == mid]
    hs_last = hs_series[hs_series.turn == last]
    ms_mid = ms[ms.turn == mid]
    ms_last = ms[ms.turn == last]
    ms_runs = ms.groupby("RunId").agg(mean_payoff=("payoff", "mean"),
                                      n_reward=("action", lambda a: (a == "reward").sum()),
                                      n_hold=("action", lambda a: (a == "hold").sum()),
                                      n_pressure=("action", lambda a: (a == "pressure").sum()),
                                      n_coerce=("action", lambda a: (a == "coerce").sum()))
    n_hs, n_ms = len(hs_runs), ms.RunId.nunique()
    assert len(hs_last) == n_hs and len(ms_last) == n_ms

    table = []  # (quantity, hedgesim, mesa, z)

    def prop_row(name, hs_labels, ms_labels, label):
        pa, pb = (hs_labels == label).mean(), (ms_labels == label).mean()
        table.append((name, f"{pa:.3f}", f"{pb:.3f}", z_prop(pa, len(hs_labels), pb, len(ms_labels))))

    def mean_row(name, a, b, digits=3):
        a, b = np.asarray(a, float), np.asarray(b, float)
        se_a, se_b = a.std(ddof=1) / math.sqrt(len(a)), b.std(ddof=1) / math.sqrt(len(b))
        table.append((name, f"{a.mean():.{digits}f} ± {se_a:.{digits}f}",
                      f"{b.mean():.{digits}f} ± {se_b:.{digits}f}", z_mean(a, b)))

    for lab in ["hedging", "balancing", "bandwagoning", "neutral"]:
        prop_row(f"share {lab} at turn {mid}", hs_mid.label.values, ms_mid.label.values, lab)
    for lab in ["hedging", "balancing", "bandwagoning", "neutral"]:
        prop_row(f"share {lab} at turn {last}", hs_last.label.values, ms_last.label.values, lab)
    mean_row(f"mean H at turn {mid}", hs_mid.H, ms_mid.H)
    mean_row(f"mean x at turn {mid}", hs_mid.x, ms_mid.x)
    mean_row(f"mean H at turn {last}", hs_runs.H, ms_last.H)
    mean_row(f"mean x at turn {last}", hs_runs.x, ms_last.x)
    mean_row(f"mean A at turn {last}", hs_runs.A, ms_last.A)
    mean_row(f"mean R at turn {last}", hs_runs.R, ms_last.R)
    mean_row(f"mean mil at turn {last}", hs_runs.mil, ms_last.mil, digits=4)
    mean_row(f"mean dep at turn {last}", hs_runs.dep, ms_last.dep)
    mean_row("mean realised payoff per turn (run mean)", hs_runs.mean_payoff, ms_runs.mean_payoff)
    for a in ["reward", "hold", "pressure", "coerce"]:
        mean_row(f"{a} actions per run", hs_runs[f"n_{a}"], ms_runs[f"n_{a}"], digits=2)

    lines = [f"| quantity ({n_hs} hedgesim runs, {n_ms} Mesa runs) | hedgesim | Mesa | z |",
             "|---|---|---|---|"]
    for name, a, b, z in table:
        lines.append(f"| {name} | {a} | {b} | {z:+.2f} |")
    text = "\n".join(lines)
    print(text)
    worst_z = max(abs(r[3]) for r in table)
    verdict = "PASS" if worst_z <= 3.0 and mism == 0 and worst < 1e-9 else "FAIL"
    print(f"largest |z| = {worst_z:.2f} over {len(table)} rows -> {verdict}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
