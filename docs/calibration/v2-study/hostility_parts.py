"""How each side answers the great power's hostility, part by part (v2-dynamic.md, "What tells
Walt's capable state from Labs's weak one, on paper"), read from `hedgesim explain --format json`
with docs/model.md §4's hostility loading:

    h_k = a_h·(stakes·(INS_k·cov − (1 − χ)·P_k − EXPL_k·X + ρ·PROT_k·T·E[κ]) − λ·b_k)

split into its five parts: insurance (stakes·INS_k·cov), appeasement (−stakes·(1 − χ)·P_k, a gain
for the acceptance side, whose PROV is negative), exploitation (−stakes·EXPL_k·X), protection
(stakes·ρ·PROT_k·T·E[κ]) and the benign world's return lost (−λ·b_k). The parts are checked
against `explain`'s h_k (the script exits non-zero if they differ), so the split is the model's.
A sixth part is the expected punishment's: μ_k = … + p_k·π_c with π_c = k·E[θ]·focus·(1 − imm),
so a rise in E[θ] also moves μ_k by p_k·k·focus·(1 − imm) (0 while the coercion factor is off
or π_c is at 1). With it, a side's total is ∂μ/∂E[θ] per unit of its weight: how the mean
payoff of each side answers a rise in believed hostility (not the risk term, which also moves).
P_k = PROV_k·V·σ with σ = 1 + imminence_stakes·imm + rivalry_stakes·rivalry (the schema's
defaults unless the file sets them). Valid for one partner without rivalry toward the great
power (no partner-rivalry term) and no provocation offset, which is every point of the facts'
box.

    python hostility_parts.py SCENARIO TURN [PATH=VALUE ...]
    python hostility_parts.py SCENARIO TURN --facts FACTS.csv FACT [FACT ...]

The first form prints, for seeds 1–5, each side's hostility loading per unit of its weight (the weighted mean
of h_k over the side's components at the turn's mix) and its parts, and their difference
(rejection minus acceptance): positive means that a rise in believed hostility pays the
rejection side more, the direction Walt's capable state takes (P3b); negative, the acceptance
side, Labs's weak state (P3a). The second form reads a `hedgesim facts` run's facts.csv and, at
every point in each FACT's region, prints V and R − A (the mean over seeds 1–3 at TURN, the
point's parameters set as the box set them) beside whether the fact held there, then per fact
the range of V and how often R − A > 0 among the points where it held and where it failed, the
medians of V's three parts there (a_V·(1 − cap), mil, T·E[κ]: what makes V high or low) and of
the believed reliability E[κ], and how much of V's spread over the region each box axis
explains alone (r²); with two facts, the crossing in V that best splits the first's region
(above it) from the second's (below it). Run from the repository's root after `cargo build
--release`.
"""
import csv
import json
import os
import subprocess
import sys
import tomllib

EXE = os.environ.get("HEDGESIM", "target/release/hedgesim")
PARTS = ("insurance", "appeasement", "exploitation", "protection", "benign lost", "punishment")


def explain(scenario, turn, seed, sets):
    args = [EXE, "explain", scenario, "--turn", str(turn), "--format", "json", "--seed", str(seed)]
    for s in sets:
        args += ["--set", s]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def parts(payoff, d):
    """Each component's five parts of h_k, checked against explain's hostility_loading."""
    w = d["world"]
    (partner,) = w["third_powers"]
    if partner.get("rivalry", 0.0) != 0.0 or payoff.get("provocation_offset", 0.0):
        sys.exit("hostility_parts.py: only for a partner without rivalry and no provocation offset")
    sigma = (1 + payoff.get("imminence_stakes", 4.0) * w["imminence"]
             + payoff.get("rivalry_stakes", 3.0) * w["pressure"]["from_rivalry"])
    stakes, v, x = w["stakes"], w["vulnerability"] * sigma, w.get("exploitation_exposure", 0.0)
    omega = payoff.get("insurance_coverage", 0.0)
    chi, rho, lam = (payoff.get(k, 0.0) for k in ("coercion_channel", "protection_in_hostility", "hostile_loss"))
    cov = (1 - omega) + omega * (w["cap"] + w["mil"])
    t_kappa = w["third_power_capability"] * w["believed_reliability"]
    # a_h, the great power's attention's scale of every h_k (1 unless payoff.attention_scale > 0).
    a_h = w.get("attention_weight", 1.0)
    # ∂π_c/∂E[θ] = k·focus·(1 − imm) while π_c < 1 (docs/model.md §4), so that the sixth part,
    # p_k·∂π_c/∂E[θ], is how the punishment the state expects moves μ_k with its belief.
    k = w.get("punishment_propensity", payoff.get("coercion_rate", 1.25))
    pi_c = w.get("coercion_probability", 0.0)
    dpi = k * w["focus"] * (1 - w["imminence"]) if 0.0 < pi_c < 1.0 else 0.0
    out = []
    for c in d["components"]:
        _ret, _depret, ins, prov, expl, prot, _shock = c["doctrine"][:7]
        p = tuple(a_h * part for part in (
            stakes * ins * cov,
            -stakes * (1 - chi) * prov * v,
            -stakes * expl * x,
            stakes * rho * prot * t_kappa,
            -lam * c["benign_return"],
        ))
        if abs(sum(p) - c["hostility_loading"]) > 1e-9 * max(1.0, abs(c["hostility_loading"])):
            sys.exit(f"{c['code']}: the parts sum to {sum(p):+.9f}, explain's h_k is {c['hostility_loading']:+.9f}")
        out.append((*p, (c.get("coercion_loading") or 0.0) * dpi))
    return out


def side_means(d, split):
    """Per side, the weight-weighted mean of each part over the side's components."""
    means = {}
    for side in ("rejection", "acceptance"):
        members = [(c["weight_before"], p) for c, p in zip(d["components"], split) if c["side"] == side]
        total = sum(wt for wt, _ in members)
        means[side] = [sum(wt * p[i] for wt, p in members) / total for i in range(len(PARTS))]
    return means


def side_difference(payoff, scenario, turn, seed, sets):
    """V, R − A (the rejection side's hostility loading per unit weight minus the acceptance
    side's) and V's three parts with the believed reliability (`V_PARTS`) at `turn` of `seed`."""
    d = explain(scenario, turn, seed, sets)
    means = side_means(d, parts(payoff, d))
    w = d["world"]
    v_parts = (w.get("attention_reach", w["focus"]) * (1 - w["cap"]), w["mil"],
               w["third_power_capability"] * w["believed_reliability"], w["believed_reliability"])
    return w["vulnerability"], sum(means["rejection"]) - sum(means["acceptance"]), v_parts


# V = clip(a_V·(1 − cap) − mil − T·E[κ], 0, 1) (docs/model.md §4): the great power's reach over
# the state's weakness, the state's military (its own build-up moves it), the partners' engaged
# capability times their believed reliability; and that belief alone, E[κ].
V_PARTS = ("a_V·(1 − cap)", "mil", "T·E[κ]", "E[κ]")


def correlation(xs, ys):
    """Pearson's r of two equally long lists."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5


def region_points(facts_csv, fact, script):
    """The rows of a `hedgesim facts` run's facts.csv in `fact`'s region, and the box axes (the
    columns named by a field path); exits, naming `script`, if the region has no point."""
    rows = list(csv.DictReader(open(facts_csv)))
    axes = [k for k in rows[0] if "." in k]
    points = [r for r in rows if r["fact"] == fact and r["in_region"] == "true"]
    if not points:
        sys.exit(f"{script}: no point of {fact} in {facts_csv}")
    return points, axes


def point_sets(row, axes):
    """The `--set PATH=VALUE` arguments that put a run at a facts.csv row's point."""
    return [f"{a}={row[a]}" for a in axes]


def over_regions(scenario, turn, payoff, facts_csv, wanted):
    """The second form: R − A at every point of each wanted fact's region, against the outcome."""
    v_by_fact = {}
    for fact in wanted:
        points, axes = region_points(facts_csv, fact, "hostility_parts.py")
        print(f"{fact}: {len(points)} points in its region")
        print(f"{'point':>5} {'V':>5} {'R − A':>7} holds")
        seen = {"true": [], "false": []}
        v_parts = {"true": [], "false": []}
        v_of_point = []
        for r in points:
            sets = point_sets(r, axes)
            vs, diffs, vp = zip(*(side_difference(payoff, scenario, turn, seed, sets) for seed in (1, 2, 3)))
            v, diff = sum(vs) / 3, sum(diffs) / 3
            seen[r["holds"]].append((v, diff))
            v_parts[r["holds"]].append([sum(x[i] for x in vp) / 3 for i in range(len(V_PARTS))])
            v_of_point.append(v)
            print(f"{r['point']:>5} {v:5.2f} {diff:+7.3f} {r['holds']}")
        for outcome, label in (("true", "holds"), ("false", "fails")):
            pts = seen[outcome]
            if pts:
                vs = sorted(v for v, _ in pts)
                positive = sum(1 for _, d in pts if d > 0)
                print(f"{fact} {label} at {len(pts)}: V {vs[0]:.2f}–{vs[-1]:.2f} (median {vs[len(vs) // 2]:.2f}), "
                      f"R − A > 0 at {positive}")
                # What sets V there: each part's median over those points.
                medians = [sorted(p[i] for p in v_parts[outcome])[len(pts) // 2] for i in range(len(V_PARTS))]
                print(f"{fact} {label}, V's parts and E[κ] (medians): "
                      + ", ".join(f"{n} {m:.2f}" for n, m in zip(V_PARTS, medians)))
        # What spreads V over the region: each box axis's squared correlation with it.
        shares = ", ".join(f"{a} {correlation([float(r[a]) for r in points], v_of_point) ** 2:.2f}" for a in axes)
        print(f"{fact} V's variance explained by each axis alone (r²): {shares}")
        v_by_fact[fact] = v_of_point
    if len(wanted) == 2:
        # The crossing in V that best splits the first fact's region (above it) from the second's
        # (below it): the most of both that a tilt decided by V alone could give.
        above, below = v_by_fact[wanted[0]], v_by_fact[wanted[1]]
        def split(c):
            return sum(v > c for v in above) / len(above), sum(v <= c for v in below) / len(below)
        best = max((c / 100 for c in range(101)), key=lambda c: min(split(c)))
        a, b = split(best)
        print(f"best crossing V = {best:.2f}: {100 * a:.0f}% of {wanted[0]}'s region above it, "
              f"{100 * b:.0f}% of {wanted[1]}'s below it")


def main():
    scenario, turn, sets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    payoff = tomllib.load(open(scenario, "rb")).get("payoff", {})
    if sets[:1] == ["--facts"]:
        over_regions(scenario, turn, payoff, sets[1], sets[2:])
        return
    print(f"{'seed':>4} {'V':>5} {'cov':>5} {'side':>10} {'dμ/dθ':>7} " + " ".join(f"{p:>12}" for p in PARTS))
    for seed in range(1, 6):
        d = explain(scenario, turn, seed, sets)
        means = side_means(d, parts(payoff, d))
        w = d["world"]
        cov = (1 - payoff.get("insurance_coverage", 0.0)) + payoff.get("insurance_coverage", 0.0) * (w["cap"] + w["mil"])
        for side in ("rejection", "acceptance"):
            m = means[side]
            print(f"{seed:>4} {w['vulnerability']:5.2f} {cov:5.2f} {side:>10} {sum(m):+7.3f} "
                  + " ".join(f"{x:+12.3f}" for x in m))
        diff = [r - a for r, a in zip(means["rejection"], means["acceptance"])]
        print(f"{'':>4} {'':>5} {'':>5} {'R − A':>10} {sum(diff):+7.3f} " + " ".join(f"{x:+12.3f}" for x in diff))


if __name__ == "__main__":
    main()
