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

AXES = """
[[axes]]
path = "great_power.hostility"
range = { from = 0.1, to = 0.9 }

[[axes]]
path = "small_state.gamma"
range = { from = 1.0, to = 12.0 }
distribution = "log-uniform"

[[axes]]
path = "beliefs.fluidity"
range = { from = 0.0, to = 0.15 }

[[axes]]
path = "third_powers.Ally.reliability"
range = { from = 0.2, to = 0.9 }
distribution = "normal"
mean = 0.6
sd = 0.2
"""

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


def compare(what, ours, theirs, conf=False):
    ours, theirs = float(ours), float(theirs)
    if conf:
        ok = abs(ours - theirs) <= CONF_REL_TOL * max(ours, theirs) + 1e-12
    else:
        ok = abs(ours - theirs) <= VALUE_TOL
    if not ok:
        failures.append(f"{what}: hedgesim {ours!r}, SALib {theirs!r}")
    return abs(ours - theirs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hedgesim", required=True)
    args = ap.parse_args()
    exe = os.path.abspath(args.hedgesim)
    scenario = os.path.abspath("scenarios/teaching-dyad.toml")
    worst = {"value": 0.0, "conf": 0.0}
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
                if name == "sobol":
                    s = salib_sobol.analyze(problem, Y, calc_second_order=True, num_resamples=RESAMPLES, seed=1)
                    for key in ["S1", "ST"]:
                        for i, p in enumerate(params):
                            d = compare(f"{name} {metric} {key} {p}", m[key][i]["value"], s[key][i])
                            worst["value"] = max(worst["value"], d)
                            c = compare(f"{name} {metric} {key}_conf {p}", m[key][i]["conf"],
                                        s[key + "_conf"][i], conf=True)
                            worst["conf"] = max(worst["conf"], c / max(s[key + "_conf"][i], 1e-300))
                    for i in range(len(params)):
                        for j in range(i + 1, len(params)):
                            e = m["S2"][i][j]
                            d = compare(f"{name} {metric} S2 {params[i]}×{params[j]}", e["value"], s["S2"][i][j])
                            worst["value"] = max(worst["value"], d)
                            c = compare(f"{name} {metric} S2_conf {params[i]}×{params[j]}", e["conf"],
                                        s["S2_conf"][i][j], conf=True)
                            worst["conf"] = max(worst["conf"], c / max(s["S2_conf"][i][j], 1e-300))
                else:
                    s = salib_morris.analyze(problem, X, Y, num_resamples=RESAMPLES, num_levels=4, seed=1)
                    for i, p in enumerate(params):
                        for key, val in [("mu", m["mu"][i]), ("mu_star", m["mu_star"][i]["value"]),
                                         ("sigma", m["sigma"][i])]:
                            worst["value"] = max(worst["value"], compare(f"{name} {metric} {key} {p}", val, s[key][i]))
                        c = compare(f"{name} {metric} mu_star_conf {p}", m["mu_star"][i]["conf"],
                                    s["mu_star_conf"][i], conf=True)
                        worst["conf"] = max(worst["conf"], c / max(s["mu_star_conf"][i], 1e-300))
            print(f"{name}: {len(ours['metrics'])} metrics × {len(params)} parameters compared with SALib")
    print(f"largest difference of an index: {worst['value']:.3g}; of an interval, relative to SALib's: "
          f"{worst['conf']:.3f}")
    if failures:
        print("\n".join(["disagreements with SALib:"] + failures), file=sys.stderr)
        sys.exit(1)
    print("ok: hedgesim analyze agrees with SALib")


if __name__ == "__main__":
    main()
