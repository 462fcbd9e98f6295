"""Cross-check `hedgesim analyze` against SALib on the same sample matrix and outputs.

Runs a small Sobol' (second order) and Morris sweep of the teaching dyad with the binary under
test, analyses each with `hedgesim analyze`, then hands SALib the same design rows (the axis
values of runs.csv) and the same outputs (the replication means per design row) and compares:

- every index (S1, ST, S2; mu, mu_star, sigma) must agree to numerical precision (1e-9);
- every interval half-width must agree with SALib's within a quarter of its own width: both are
  bootstraps of the same estimator, drawn from different random streams (ChaCha8 against
  NumPy's PCG64), so they agree only up to the bootstrap's own noise.

Usage: python check.py --hedgesim target/release/hedgesim
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from SALib.analyze import morris as salib_morris
from SALib.analyze import sobol as salib_sobol

RESAMPLES = 2000
VALUE_TOL = 1e-9
CONF_REL_TOL = 0.25

# Parameters other than tests/sensitivity.rs's, with every distribution a sweep axis takes:
# (path, from, to, extra keys of the axis).
PARAMETERS = [
    ("small_state.stakes", 0.5, 5.0, {"distribution": '"log-uniform"'}),
    ("small_state.dep", 0.0, 0.7, {}),
    ("beliefs.forgetting", 0.7, 0.99, {}),
    ("third_powers.Ally.reliability", 0.2, 0.9, {"distribution": '"normal"', "mean": "0.6", "sd": "0.2"}),
]
AXES = "".join(
    f'\n[[axes]]\npath = "{path}"\nrange = {{ from = {lo}, to = {hi} }}\n'
    + "".join(f"{k} = {v}\n" for k, v in extra.items())
    for path, lo, hi, extra in PARAMETERS
)

DESIGNS = {
    "sobol": 'design = "sobol"\nsamples = 64\nsecond_order = true\n',
    "morris": 'design = "morris"\ntrajectories = 20\nlevels = 4\n',
}


def sweep_text(scenario, design):
    return (
        f"format = 1\nscenario = {json.dumps(scenario)}\nreplications = 4\nmaster_seed = 7\n"
        f"design_seed = 11\nmetrics_from_turn = 60\n{design}{AXES}"
    )


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def design_rows(folder, params):
    """X and Y as SALib takes them: one row per configuration, replications averaged."""
    runs = pd.read_csv(os.path.join(folder, "runs.csv"))
    by_config = runs.groupby("config_id", sort=True)
    return by_config, by_config[params].first().to_numpy()


failures = []
worst = {"value": 0.0, "conf": 0.0}


def compare(what, ours, value, conf=None):
    """Check one index (and its interval half-width, if SALib gives one) against SALib's."""
    got = ours["value"] if conf is not None else ours
    d = abs(float(got) - float(value))
    worst["value"] = max(worst["value"], d)
    if d > VALUE_TOL:
        failures.append(f"{what}: hedgesim {got!r}, SALib {value!r}")
    if conf is not None:
        c = abs(float(ours["conf"]) - float(conf))
        worst["conf"] = max(worst["conf"], c / max(float(conf), 1e-300))
        if c > CONF_REL_TOL * max(float(ours["conf"]), float(conf)) + 1e-12:
            failures.append(f"{what} interval: hedgesim ±{ours['conf']!r}, SALib ±{conf!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hedgesim", required=True)
    args = ap.parse_args()
    exe = os.path.abspath(args.hedgesim)
    scenario = os.path.abspath("scenarios/teaching-dyad.toml")
    with tempfile.TemporaryDirectory() as tmp:
        for name, design in DESIGNS.items():
            sweep = os.path.join(tmp, f"{name}.toml")
            with open(sweep, "w") as f:
                f.write(sweep_text(scenario, design))
            out = os.path.join(tmp, name)
            run([exe, "sweep", sweep, "--out", out, "--quiet"])
            run([exe, "analyze", out, "--bootstrap", str(RESAMPLES)])
            with open(os.path.join(out, "sensitivity.json")) as f:
                ours = json.load(f)
            params = ours["parameters"]
            problem = {"num_vars": len(params), "names": params, "bounds": [[0.0, 1.0]] * len(params)}
            by_config, X = design_rows(out, params)
            for m in ours["metrics"]:
                metric = m["metric"]
                Y = by_config[metric].mean().to_numpy()
                label = f"{name} {metric}"
                if name == "sobol":
                    s = salib_sobol.analyze(problem, Y, calc_second_order=True, num_resamples=RESAMPLES, seed=1)
                    for key in ["S1", "ST"]:
                        for i, p in enumerate(params):
                            compare(f"{label} {key} {p}", m[key][i], s[key][i], s[key + "_conf"][i])
                    for i in range(len(params)):
                        for j in range(i + 1, len(params)):
                            compare(f"{label} S2 {params[i]}×{params[j]}", m["S2"][i][j], s["S2"][i][j],
                                    s["S2_conf"][i][j])
                else:
                    s = salib_morris.analyze(problem, X, Y, num_resamples=RESAMPLES, num_levels=4, seed=1)
                    for i, p in enumerate(params):
                        compare(f"{label} mu {p}", m["mu"][i], s["mu"][i])
                        compare(f"{label} sigma {p}", m["sigma"][i], s["sigma"][i])
                        compare(f"{label} mu_star {p}", m["mu_star"][i], s["mu_star"][i], s["mu_star_conf"][i])
            print(f"{name}: {len(ours['metrics'])} metrics × {len(params)} parameters compared with SALib")
    print(f"largest difference of an index: {worst['value']:.3g}; of an interval, relative to SALib's: "
          f"{worst['conf']:.3f}")
    if failures:
        print("\n".join(["disagreements with SALib:"] + failures), file=sys.stderr)
        sys.exit(1)
    print("ok: hedgesim analyze agrees with SALib")


if __name__ == "__main__":
    main()
