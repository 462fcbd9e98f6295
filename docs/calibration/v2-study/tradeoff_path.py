"""Labs's tilt against the default hedge, along a straight path in parameter space
(docs/calibration/v2-dynamic.md, "Round 3").

    cargo build --release --example v2_fit
    python3 docs/calibration/v2-study/tradeoff_path.py

From round 2's best (t = 0, with ν = 0) to round 3's hand-found start (t = 1,
round3-start.json), every free number moves in a straight line; at each of 11 points the
training patterns (examples/v2_fit.rs on the dynamic base file) are printed as a Markdown table:
the dyad's hedging share (T1), how many middle components hold ≥ 0.05, and the tilts' points
held (T3–T5) with T3's tilts, T6 and T7. Standard library only; run from the repository's root.
"""
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STUDY = ROOT / "docs/calibration/v2-study"
start = dict(json.loads((STUDY / "round2-search.json").read_text())["candidate"])
start["payoff.exploitation_resistance"] = 0.0
end = json.loads((STUDY / "round3-start.json").read_text())["candidate"]
fit = subprocess.Popen([str(ROOT / "target/release/examples/v2_fit"), str(STUDY / "teaching-dyad-v2-dynamic.toml")],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
print("| t | χ | ν | dyad hedging (T1) | middle ≥ 0.05 | T3 held | T3 tilts | T4 held | T5 held | T6 | T7 |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for i in range(11):
    t = i / 10
    point = {k: (1 - t) * start.get(k, end[k]) + t * end[k] for k in end}
    fit.stdin.write(json.dumps(point) + "\n")
    fit.stdin.flush()
    out = json.loads(fit.stdout.readline())
    value = lambda k: out[k]["value"]
    middle = sum(1 for w in value("T1_middle_components")[1:6] if w >= 0.05)
    held = lambda k: f"{round(value(k)['share'] * 8)} of 8"
    tilts = [p[0] for p in value("T3_weak_tilts_to_acceptance")["points"]]
    print(f"| {t:.1f} | {point['payoff.coercion_channel']:.2f} | {point['payoff.exploitation_resistance']:.2f} "
          f"| {value('T1_hedging_share'):.2f} | {middle} of 5 | {held('T3_weak_tilts_to_acceptance')} "
          f"| {min(tilts):+.3f} to {max(tilts):+.3f} | {held('T4_capable_tilts_to_rejection')} "
          f"| {held('T5_ally_fails')} | {value('T6_hedging_over_the_box'):.2f} "
          f"| {value('T7_no_balancing_without_threat'):.2f} |")
