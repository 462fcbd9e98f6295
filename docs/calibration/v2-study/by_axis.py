"""Where a fact holds along one axis of a box: the in-region points and those where it holds, per
bin of the axis, from a `hedgesim facts` run's facts.csv.

    python by_axis.py FACTS.csv FACT AXIS CUT [CUT ...]

The bins are [−∞, CUT₁), [CUT₁, CUT₂), …, [CUTₙ, ∞). For example, P1c by the state's capability:

    python docs/calibration/v2-study/by_axis.py out/h5/facts.csv P1c small_state.cap 0.1 0.2 0.3
"""
import csv
import sys

path, fact, axis, *cuts = sys.argv[1:]
edges = [float("-inf")] + [float(c) for c in cuts] + [float("inf")]
rows = [r for r in csv.DictReader(open(path)) if r["fact"] == fact and r["in_region"] == "true"]
for lo, hi in zip(edges, edges[1:]):
    inside = [r for r in rows if lo <= float(r[axis]) < hi]
    print(f"{axis} in [{lo}, {hi}): {sum(r['holds'] == 'true' for r in inside)} of {len(inside)} hold")
