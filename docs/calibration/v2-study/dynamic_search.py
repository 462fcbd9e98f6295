"""Differential evolution over the v2 doctrine entries and globals in the running model.

    python dynamic_search.py [--facts BOX.toml] [--base BASE.toml] [--hold PATH,...] GENERATIONS OUT.json
        [START.json [POPSIZE [LOCAL]]]

With LOCAL (a share of each bound's width, e.g. 0.05) the first population is START plus normal
noise of that scale, clipped to the bounds: a search around START instead of over the whole box.

The objective is examples/v2_fit.rs (the training patterns T1–T10 of docs/calibration/v2-patterns.md)
on docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml, plus the theory's order along the
spectrum as a penalty (provocation PB ≥ IB ≥ DD ≥ 0 ≥ BE ≥ LB ≥ PW, exploitation PW ≥ LB ≥ BE),
as in the static study's search.py (and, from round 10, IB's loading on the regional factor at
least PB's and DD's). Build the example first:
`cargo build --release --example v2_fit` (from the repository's root). The held-out patterns are
never computed here.

With `--facts BOX.toml` (round 5, v2-patterns.md) each candidate is also written as a scenario
(write_candidate.py) and `hedgesim facts` checks the box file's facts over its points; each fact
adds 2 × its share's shortfall from 0.9 plus half the mean over its points of the shortfall of
its margin (clipped to 1), so that property 4's own measure is trained, not only the T patterns.
Build the binary first (`cargo build --release`).

With `--base BASE.toml` the objective runs on that file instead (round 11: the dynamic base with
switches on that a free number cannot carry, such as `beliefs.punishment_per_reason`); with
`--hold PATH,...` those free numbers are not searched and keep the base file's value (round 11:
χ held at 1).

OUT.json gets the best candidate (paths and values), its patterns and the base file (so that
write_candidate.py writes it on the right base); OUT.json.partial the best so far, after each
generation.
"""
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import differential_evolution

ROOT = Path(__file__).resolve().parents[3]
BASE = ROOT / "docs/calibration/v2-study/teaching-dyad-v2-dynamic.toml"
EXE = ROOT / "target/release/examples/v2_fit"
HEDGESIM = ROOT / "target/release/hedgesim"

# The free entries: (path, low, high), bounds as in search.py.
FREE = []
for k in ["PB", "IB", "DD"]:
    FREE += [(f"doctrine.{k}.ret", -0.8, 0.2), (f"doctrine.{k}.depret", -0.6, 0.0),
             (f"doctrine.{k}.ins", 0.0, 1.5), (f"doctrine.{k}.prov", 0.0, 2.5)]
for k in ["EP", "BE", "LB", "PW"]:
    FREE += [(f"doctrine.{k}.ret", 0.0, 0.6), (f"doctrine.{k}.depret", 0.0, 0.5), (f"doctrine.{k}.expl", 0.0, 1.5)]
for k in ["BE", "LB", "PW"]:
    FREE += [(f"doctrine.{k}.prov", -2.5, 0.0)]
FREE += [("doctrine.DD.prot", 0.0, 1.5), ("doctrine.PB.prot", 0.0, 1.5), ("doctrine.DD.shock", -2.0, 0.0)]
# Round 3b: the second risk factor's loadings (the economic shock z standing in for it, v2-patterns.md).
FREE += [("doctrine.IB.shock", -2.0, 0.0), ("payoff.shock_sd", 0.1, 1.5)]
# Round 7: the cost of defiance (v2-patterns.md, "Round 7"). The economic exposure of EP and the
# acceptance side no longer grows with dependence: one free number each, `exposure`, written as
# SHOCK_k = DIV_k, so that e_k = SHOCK_k·dep + DIV_k·(1 − dep) is the same at every dependence. What
# grows with dependence is the rejection side's loading (SHOCK_IB, SHOCK_DD ≤ 0 above). Rounds 3b–6
# had EP.shock, BE.shock, LB.shock and PW.shock (0–2) free instead, scaled by dependence.
FREE += [(f"doctrine.{k}.exposure", 0.0, 1.0) for k in ["EP", "BE", "LB", "PW"]]
# Round 4: Kuik's trilemma as factors (v2-patterns.md, "Round 4"): diversification's offset on the
# economic shock, and the autonomy factor's loadings and sd.
FREE += [("doctrine.DD.div", -2.0, 0.0), ("doctrine.IB.div", -2.0, 0.0)]
FREE += [(f"doctrine.{k}.aut", 0.0, 1.5) for k in ["PB", "IB", "DD"]]
FREE += [(f"doctrine.{k}.aut", -1.5, 0.0) for k in ["BE", "LB", "PW"]]
FREE += [("payoff.autonomy_sd", 0.0, 1.5)]
# Round 6: exploitation's growth with dependence (v2-patterns.md, "Round 6").
FREE += [("payoff.exploitation_dependence", 0.0, 1.5)]
FREE += [("payoff.hostile_loss", 0.0, 1.0), ("payoff.coercion_rate", 0.2, 2.0),
         ("payoff.exploitation_base", 0.0, 0.6), ("payoff.idio", 0.1, 0.4), ("payoff.coercion_channel", 0.0, 1.0),
         ("payoff.exploitation_resistance", 0.0, 1.0)]
# Round 9: the coercion's own damage carried by the coercion factor (ψ), and how many of the great
# power's decisions the prior propensity to punish weighs (n0) (v2-patterns.md, "Round 9").
FREE += [("payoff.coercion_damage", 0.0, 1.0), ("beliefs.punishment_prior_weight", 1.0, 40.0)]
# Round 11: how much of a coercion a turn of pressure is, as the state counts it when it learns the
# propensity to punish (c_p; v2-patterns.md, "Round 11").
FREE += [("payoff.pressure_share", 0.0, 1.0)]
# Round 10: indirect balancing's own risk, the regional factor g (v2-patterns.md, "Round 10"):
# its sd, IB's loading (what insures the region's diffuse risks), PB's and DD's (little: "unlike
# pure balancing and a single source of risk"), and the exposure of EP and the acceptance side.
FREE += [("payoff.regional_sd", 0.0, 1.0), ("doctrine.IB.reg", 0.0, 1.5)]
FREE += [(f"doctrine.{k}.reg", 0.0, 0.5) for k in ["PB", "DD"]]
FREE += [(f"doctrine.{k}.reg", -1.5, 0.0) for k in ["EP", "BE", "LB", "PW"]]


def expand(candidate: dict) -> dict:
    """The candidate as field paths: each `doctrine.K.exposure` becomes `doctrine.K.shock` and
    `doctrine.K.div`, both equal to it (a loading that does not change with dependence)."""
    out = {}
    for path, value in candidate.items():
        if path.endswith(".exposure"):
            stem = path[: -len(".exposure")]
            out[stem + ".shock"] = value
            out[stem + ".div"] = value
        else:
            out[path] = value
    return out


def from_start(start: dict, path: str, base: float) -> float:
    """A free number's starting value from an earlier round's candidate: its own value; for an
    `exposure`, the candidate's `shock` when its `div` is the same (a round-7 candidate), or else
    `shock` × 0.3 (an earlier round's loading scaled by dependence, equal at the base file's
    dependence, 0.3); or else the base file's value."""
    if path in start:
        return start[path]
    if path.endswith(".exposure"):
        stem = path[: -len(".exposure")]
        shock, div = start.get(stem + ".shock"), start.get(stem + ".div")
        if shock is not None:
            return shock if div == shock else 0.3 * shock
    return base


# Defaults of the free numbers the base file leaves out (the schema's).
DEFAULTS = {"payoff.idio": 0.15, "payoff.exploitation_resistance": 0.0, "payoff.shock_sd": 0.3,
            "payoff.autonomy_sd": 0.0, "payoff.coercion_damage": 0.0, "payoff.regional_sd": 0.0}
DEFAULTS.update({path: 0.0 for path, _, _ in FREE if path.endswith((".div", ".aut", ".exposure", ".reg"))})


def base_values() -> list[float]:
    """The base file's values of the free entries (the static study's table), or the defaults of
    those it leaves out."""
    import tomllib
    doc = tomllib.loads(BASE.read_text())
    out = []
    for path, lo, hi in FREE:
        section, *rest = path.split(".")
        node = doc[section]
        for key in rest:
            node = node.get(key) if isinstance(node, dict) else None
        value = DEFAULTS[path] if node is None else float(node)
        out.append(min(max(value, lo), hi))
    return out


def facts_loss(candidate: dict, box: Path, work: Path) -> tuple[float, dict]:
    """The facts of `box` over its points for `candidate`: the loss (see the module's doc) and
    each fact's share."""
    from write_candidate import write
    scenario = work / "candidate.toml"
    scenario.write_text(write(candidate, None, BASE))
    done = subprocess.run([str(HEDGESIM), "facts", str(scenario), "--box", str(box), "-o", str(work / "facts"),
                           "--quiet"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hedgesim facts failed: {done.stderr}")
    held, points, short = {}, {}, {}
    with open(work / "facts" / "facts.csv") as f:
        for row in csv.DictReader(f):
            if row["in_region"] != "true":
                continue
            fact = row["fact"]
            points[fact] = points.get(fact, 0) + 1
            held[fact] = held.get(fact, 0) + (row["holds"] == "true")
            short[fact] = short.get(fact, 0.0) + min(max(-float(row["margin"]), 0.0), 1.0)
    shares = {fact: held[fact] / n for fact, n in points.items()}
    loss = sum(2.0 * max(0.0, 0.9 - shares[f]) + 0.5 * short[f] / points[f] for f in points)
    return loss, shares


class Objective:
    def __init__(self, facts_box: Path | None = None):
        self.proc = subprocess.Popen([str(EXE), str(BASE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.facts_box = facts_box
        self.work = Path(tempfile.mkdtemp(prefix="dynamic-search-"))

    def patterns(self, v) -> dict:
        candidate = expand({path: float(x) for (path, _, _), x in zip(FREE, v)})
        self.proc.stdin.write(json.dumps(candidate) + "\n")
        self.proc.stdin.flush()
        out = json.loads(self.proc.stdout.readline())
        if "error" in out:
            raise SystemExit(out["error"])
        if self.facts_box is not None:
            loss, shares = facts_loss(candidate, self.facts_box, self.work)
            out["facts"] = {"value": shares, "shortfall": loss}
            out["loss"] += loss
        return out

    def __call__(self, v) -> float:
        p = dict(zip((f[0] for f in FREE), v))
        hinge = lambda x: max(0.0, x)
        prov = [p.get(f"doctrine.{k}.prov", 0.0) for k in ["PB", "IB", "DD", "EP", "BE", "LB", "PW"]]
        expl = [p.get(f"doctrine.{k}.expl", 0.0) for k in ["EP", "BE", "LB", "PW"]]
        reg = [p.get(f"doctrine.{k}.reg", 0.0) for k in ["PB", "IB", "DD"]]
        order = (hinge(prov[1] - prov[0]) + hinge(prov[2] - prov[1]) + hinge(prov[5] - prov[4])
                 + hinge(prov[6] - prov[5]) + hinge(expl[1] - expl[2]) + hinge(expl[2] - expl[3])
                 # Round 10: indirect balancing is what answers the region's diffuse risks.
                 + hinge(reg[0] - reg[1]) + hinge(reg[2] - reg[1]))
        return self.patterns(v)["loss"] + 10.0 * order


def option(name: str) -> str | None:
    """The value of `name VALUE` on the command line, removed from it."""
    if name not in sys.argv:
        return None
    at = sys.argv.index(name)
    value = sys.argv[at + 1]
    del sys.argv[at:at + 2]
    return value


def main():
    global BASE, FREE
    facts = option("--facts")
    facts_box = Path(facts).resolve() if facts else None
    base = option("--base")
    if base:
        BASE = Path(base).resolve()
    hold = option("--hold")
    if hold:
        held = hold.split(",")
        unknown = [p for p in held if p not in {f[0] for f in FREE}]
        if unknown:
            raise SystemExit(f"--hold: {', '.join(unknown)} is not a free number")
        FREE = [f for f in FREE if f[0] not in held]
    generations = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "dynamic-best.json")
    bounds = [(lo, hi) for _, lo, hi in FREE]
    if len(sys.argv) > 3:
        start = json.loads(Path(sys.argv[3]).read_text())["candidate"]
        # A value the start does not give (a newly free number) starts at the base file's.
        base = dict(zip((f[0] for f in FREE), base_values()))
        x0 = [min(max(from_start(start, path, base[path]), lo), hi) for path, lo, hi in FREE]
    else:
        x0 = base_values()
    popsize = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    f = Objective(facts_box)
    print("start", f(np.array(x0)), flush=True)

    def save(xk, path):
        candidate = expand({p: round(float(x), 6) for (p, _, _), x in zip(FREE, xk)})
        path.write_text(json.dumps({"candidate": candidate, "loss": f(xk), "patterns": f.patterns(xk),
                                    "base": str(BASE.relative_to(ROOT))}, indent=1))

    def callback(xk, convergence=None):
        save(xk, out.with_suffix(".partial.json"))
        print("generation best", f(xk), flush=True)

    init = "latinhypercube"
    if len(sys.argv) > 5:
        rng = np.random.default_rng(7)
        lo, hi = np.array(bounds).T
        noise = rng.normal(0.0, float(sys.argv[5]), (popsize * len(bounds), len(bounds))) * (hi - lo)
        init = np.clip(np.array(x0) + noise, lo, hi)
        init[0] = x0
    res = differential_evolution(f, bounds, x0=None if len(sys.argv) > 5 else x0, init=init, callback=callback,
                                 maxiter=generations, popsize=popsize, seed=5, polish=False, tol=0, workers=1)
    save(res.x, out)
    print("best", res.fun)


if __name__ == "__main__":
    main()
