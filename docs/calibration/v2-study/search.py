"""Differential evolution over the doctrine entries and three globals:
python search.py GENERATIONS OUT.npy [START.npy [POPSIZE]]."""
import numpy as np, json, sys
from scipy.optimize import differential_evolution
from study import *
# free table entries (row, col, lo, hi); cols: ret depret ins expl prov prot shock
FREE = []
def add(r, c, lo, hi): FREE.append((r, c, lo, hi))
R = {c:i for i,c in enumerate(CODES)}
for k in ["PB","IB","DD"]:
    add(R[k],0,-0.8,0.2); add(R[k],1,-0.6,0.0); add(R[k],2,0.0,1.5 if k != "DD" else 0.3); add(R[k],4,0.0,2.5)
for k in ["EP","BE","LB","PW"]:
    add(R[k],0,0.0,0.6); add(R[k],1,0.0,0.5); add(R[k],3,0.0,1.5)
for k in ["BE","LB","PW"]: add(R[k],4,-2.5,0.0)
add(R["DD"],5,0.0,1.5); add(R["PB"],5,0.0,1.5); add(R["DD"],6,-0.6,0.0); add(R["EP"],6,0.0,1.0)
GLOB = [("loss",0.0,1.0), ("kc",0.2,2.0), ("x0",0.0,0.6)]
def unpack(v):
    t = T0.copy()
    for (r,c,lo,hi), x in zip(FREE, v): t[r,c] = x
    g = {name: x for (name,_,_), x in zip(GLOB, v[len(FREE):])}
    return t, g
def loss(v, verbose=False):
    t, g = unpack(v); o = evaluate(t, g, verbose)
    L = 0.0
    hinge = lambda x: max(0.0, x)
    L += 10*hinge(o["tilt_weak"] + 0.03) + 10*hinge(0.03 - o["tilt_strong"]) + 10*hinge(o["ally_fails_dx"] + 0.02)
    L += sum(2*(lab != "hedging") for lab in o["tilt_labels"])
    L += 2*("bandwagoning" not in o["imm_weak"]) + 2*("balancing" not in o["imm_strong"])
    mix = o["default_mix"]
    L += sum(20*hinge(0.08 - mix[i]) for i in range(1,6))
    L += 5*hinge(0.97 - o["box_hedging"]) + 20*o["box_balancing"] + 5*hinge(0.95 - o["box_covneg"]) + 5*hinge(0.6 - o["box_n3"])
    L += sum(0.5*(c not in o["box_largest"]) for c in ["IB","DD","EP","BE","LB"])
    # theory's order along the spectrum: provocation PB >= IB >= DD >= 0 >= BE >= LB >= PW,
    # exploitation PW >= LB >= BE (docs/calibration/v2-design.md)
    pr = t[:,4]; ex = t[:,3]
    L += 10*(hinge(pr[1]-pr[0]) + hinge(pr[2]-pr[1]) + hinge(pr[5]-pr[4]) + hinge(pr[6]-pr[5]))
    L += 10*(hinge(ex[4]-ex[5]) + hinge(ex[5]-ex[6]))
    bm = o["box_mean_mix"]
    L += 10*hinge(bm[0] - 0.05) + 10*hinge(bm[6] - 0.05)
    return L
if __name__ == "__main__":
    bounds = [(lo,hi) for (_,_,lo,hi) in FREE] + [(lo,hi) for (_,lo,hi) in GLOB]
    x0 = list(np.load(sys.argv[3] if len(sys.argv) > 3 else "best.npy")) if len(sys.argv) > 2 else [T0[r,c] for (r,c,_,_) in FREE] + [DEF[n] for (n,_,_) in GLOB]
    x0 = [min(max(x,lo),hi) for x,(lo,hi) in zip(x0,bounds)]
    print("start", loss(np.array(x0)))
    res = differential_evolution(loss, bounds, x0=x0, callback=lambda xk, convergence=None: np.save(sys.argv[2] + '.partial.npy', xk), maxiter=int(sys.argv[1]) if len(sys.argv)>1 else 40, popsize=int(sys.argv[4]) if len(sys.argv) > 4 else 5, seed=3, polish=False, tol=0, workers=1)
    print("best", res.fun); t, g = unpack(res.x); print(np.round(t,3)); print(g)
    loss(res.x, True)
    np.save(sys.argv[2] if len(sys.argv) > 2 else "best.npy", res.x)
