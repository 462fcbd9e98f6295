"""Evaluate a table on points the search never saw: a fresh Latin hypercube (another seed, 1,000
points), and the same table rounded to two decimals."""
import sys, numpy as np
import study as design
from search import unpack, loss
from study import evaluate
v = np.load(sys.argv[1]); t, g = unpack(v)
np.set_printoptions(suppress=True)
print("table (ret depret ins expl prov prot shock):"); print(np.round(t, 3)); print({k: round(float(x), 3) for k, x in g.items()})
def summary(o):
    keys = ["default_mix", "tilt_weak", "tilt_strong", "ally_fails_dx", "imm_weak", "imm_strong", "box_hedging",
            "box_balancing", "box_bandwagoning", "box_covneg", "box_n3", "box_largest", "box_mean_mix"]
    return {k: (round(o[k], 3) if isinstance(o[k], float) else o[k]) for k in keys}
print("fit points:", summary(evaluate(t, g)))
design.rng = np.random.default_rng(11); design.BOXPTS = design.lhs(1000)
print("holdout 1000:", summary(evaluate(t, g)))
t2 = np.round(t, 2); g2 = {k: round(float(x), 2) for k, x in g.items()}
print("holdout, rounded to 2 decimals:", summary(evaluate(t2, g2)))
