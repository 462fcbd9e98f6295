"""What a hostile signal's tilt is made of, and what the state believes of its ally
(v2-dynamic.md, "What carries the tilt, and what the state knows of its ally").

    python tilt_parts.py SCENARIO FACTS.csv FACT [FACT ...]

FACTS.csv is a `hedgesim facts` run's per-point table. At every point of each FACT's region (the
point's parameters set as the box set them), each of seeds 1–20 is run twice, without and with
the facts' hostile signal (`hostile_signal = 2` at turn 40, as P3a and P3b add it; the same seed
gives both runs the same random numbers), and the script prints the signal's effect on the means
over turns 41–60 of the alignment x, the side masses R and A, and the weights of the two pure
ends (PB, PW); beside them, at turn 39 (before the signal), the state's believed reliability of
its ally against the ally's true reliability, and V.

Per fact it then prints how much of the change in x the pure ends carry (ΔPB − ΔPW over Δx: PB
sits at x = +1 and PW at −1, so 1 means the ends carry all of it), how often the side mass R
moves the same way as x, and the believed reliability's range against the true one's.

Run from the repository's root after `cargo build --release`; about a second a point.
"""
import csv
import io
import os
import subprocess
import sys

from hostility_parts import point_sets, region_points

EXE = os.environ.get("HEDGESIM", "target/release/hedgesim")
SIGNAL = "\n[[events]]\nturn = 40\nhostile_signal = 2.0\n"
SEEDS = range(1, 21)
AFTER = range(41, 61)
COLUMNS = ("x", "R", "A", "w_PB", "w_PW")


def run(text, sets, seed):
    """The run's rows, the scenario read from standard input."""
    args = [EXE, "run", "-", "--format", "csv", "--seed", str(seed)]
    for s in sets:
        args += ["--set", s]
    out = subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def point_effect(text, sets):
    """The signal's effect on each column's mean over turns 41–60 (seeds 1–20), and the believed
    reliability and V at turn 39 (the mean over the seeds)."""
    effect = [0.0] * len(COLUMNS)
    believed, v = [], []
    for seed in SEEDS:
        control, signal = run(text, sets, seed), run(text + SIGNAL, sets, seed)
        for i, c in enumerate(COLUMNS):
            effect[i] += mean(float(r[c]) for r in signal if int(r["turn"]) in AFTER) - mean(
                float(r[c]) for r in control if int(r["turn"]) in AFTER)
        before = control[39]
        believed.append(float(before["reliability_mean"]))
        v.append(float(before["V"]))
    return [e / len(SEEDS) for e in effect], mean(believed), mean(v)


def main():
    scenario, facts_csv, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not wanted:
        sys.exit(__doc__)
    text = open(scenario).read()
    for fact in wanted:
        points, axes = region_points(facts_csv, fact, "tilt_parts.py")
        print(f"{fact}: {len(points)} points in its region, seeds 1–20, turns 41–60")
        print(f"{'point':>5} {'holds':>5} " + " ".join(f"{'Δ' + c:>8}" for c in COLUMNS)
              + f" {'true κ':>7} {'believed':>8} {'V':>5}")
        ends, same_way, true_k, believed_k = [], 0, [], []
        for r in points:
            (dx, dr, da, dpb, dpw), believed, v = point_effect(text, point_sets(r, axes))
            kappa = float(r["third_powers.Ally.reliability"])
            print(f"{r['point']:>5} {r['holds']:>5} " + " ".join(f"{d:+8.4f}" for d in (dx, dr, da, dpb, dpw))
                  + f" {kappa:7.2f} {believed:8.3f} {v:5.2f}")
            if abs(dx) > 1e-9:
                ends.append((dpb - dpw) / dx)
            same_way += (dr > 0) == (dx > 0)
            true_k.append(kappa)
            believed_k.append(believed)
        print(f"{fact}: the pure ends carry a median {median(ends):.2f} of Δx "
              f"(range {min(ends):.2f} to {max(ends):.2f}); R moves as x does at {same_way} of {len(points)}; "
              f"believed reliability {min(believed_k):.2f}–{max(believed_k):.2f} (median {median(believed_k):.2f}) "
              f"where the truth is {min(true_k):.2f}–{max(true_k):.2f} (median {median(true_k):.2f})")


if __name__ == "__main__":
    main()
