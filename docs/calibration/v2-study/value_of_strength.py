"""The mix's marginal value of its own strength, m(w) = Σ_k w_k·∂μ_k/∂mil (v2-design.md, "Reading 2
on paper"), read from `hedgesim explain --format json` with docs/model.md §4's formulas:

    ∂μ_k/∂mil = E[θ]·stakes·(ω·INS_k + (1 − χ)·σ·PROV_k − ν·X₀·EXPL_k) + π_c·χ·(stakes·σ·PROV_k + ψ)

with X₀ = exploitation_base + exploitation_dependence·dep, valid while 0 < V < 1, D > 0 and
mil < 1, and σ = 1 (no imminence, no rivalry). The formula is first checked against a finite
difference of `explain`'s μ_k at turn 0 (mil 0.2 → 0.21).

    python value_of_strength.py SCENARIO TURNS [PATH=VALUE ...]

prints, for seeds 1–5 at each turn, V, mil, E[θ], m(w) at the turn's mix and IB's own ∂μ/∂mil.
Run from the repository's root after `cargo build --release`.
"""
import json
import subprocess
import sys
import tomllib

EXE = __import__("os").environ.get("HEDGESIM", "target/release/hedgesim")


def explain(scenario, turn, seed=None, sets=()):
    args = [EXE, "explain", scenario, "--turn", str(turn), "--format", "json"]
    args += ["--seed", str(seed)] if seed is not None else []
    for s in sets:
        args += ["--set", s]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def dmu_dmil(payoff, d):
    """∂μ_k/∂mil for each component of the explained turn `d`."""
    w = d["world"]
    stakes, e_theta = w["stakes"], w["hostility_mean"]
    pi_c = w.get("coercion_probability", 0.0)
    chi, psi = payoff.get("coercion_channel", 0.0), payoff.get("coercion_damage", 0.0)
    omega, nu = payoff.get("insurance_coverage", 0.0), payoff.get("exploitation_resistance", 0.0)
    x0 = payoff.get("exploitation_base", 0.0) + payoff.get("exploitation_dependence", 1.0) * w["dep"]
    out = []
    for c in d["components"]:
        _ret, _depret, ins, prov, expl, _prot, _shock = c["doctrine"][:7]
        out.append(e_theta * stakes * (omega * ins + (1 - chi) * prov - nu * x0 * expl) + pi_c * chi * (stakes * prov + psi))
    return out


def main():
    scenario, turns, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
    payoff = tomllib.load(open(scenario, "rb")).get("payoff", {})
    d0 = explain(scenario, 0, sets=[*sets, "small_state.mil=0.2"])
    d1 = explain(scenario, 0, sets=[*sets, "small_state.mil=0.21"])
    fd = [(b["expected"] - a["expected"]) / 0.01 for a, b in zip(d0["components"], d1["components"])]
    for c, f, g in zip(d0["components"], fd, dmu_dmil(payoff, d0)):
        if abs(f - g) > 1e-6 * max(1.0, abs(f)):
            sys.exit(f"{c['code']}: the formula gives {g:+.6f}, a finite difference {f:+.6f}")
    print("turn 0: ∂μ_k/∂mil, formula = finite difference: "
          + " ".join(f"{c['code']} {g:+.3f}" for c, g in zip(d0["components"], dmu_dmil(payoff, d0))))
    for turn in map(int, turns.split(",")):
        for seed in range(1, 6):
            d = explain(scenario, turn, seed, sets)
            g = dmu_dmil(payoff, d)
            m = sum(c["weight_before"] * x for c, x in zip(d["components"], g))
            w = d["world"]
            print(f"turn {turn} seed {seed}: V {w['vulnerability']:.2f} mil {w['mil']:.2f} E[θ] {w['hostility_mean']:.2f}"
                  f"  m(w) {m:+.3f}  IB's own ∂μ/∂mil {g[1]:+.3f}  w_IB {d['components'][1]['weight_before']:.3f}")


if __name__ == "__main__":
    main()
