"""The static forms of model v2's properties 1-4, on fixed test points and a Latin hypercube over the box."""
import numpy as np, json, sys
from model import *
rng = np.random.default_rng(7)
BOX = dict(cap=(0.02,0.35), dep=(0.05,0.8), m=(0.1,0.8), gamma=(3,12), focus=(0.5,1.0), tcap=(0.1,0.5),
           r=(0.3,0.9), aff=(0.1,0.5))
def lhs(n):
    keys = list(BOX); pts = [dict() for _ in range(n)]
    for k in keys:
        u = (rng.permutation(n) + rng.random(n))/n
        for i in range(n): pts[i][k] = BOX[k][0] + u[i]*(BOX[k][1]-BOX[k][0])
    for p in pts:
        p["T"] = p["tcap"]*(p["aff"]+0.15); p["vtheta"] = p["m"]*(1-p["m"])/6 + 0.029
        p["mil"] = 0.2
    return pts
BOXPTS = lhs(200)
WEAK = dict(cap=0.05, mil=0.1, T=0.03, r=0.3); STRONG = dict(cap=0.3, mil=0.4, T=0.25, r=0.9)
def evaluate(table, glob, verbose=False):
    pts = [dict(), dict(WEAK), dict(WEAK, m=0.55), dict(STRONG), dict(STRONG, m=0.55),
           dict(T=0.2, r=0.6), dict(T=0.2, r=0.35, m=0.5), dict(WEAK, imm=1.0), dict(cap=0.35, mil=0.5, T=0.3, r=0.9, imm=1.0)]
    pts += BOXPTS
    w, mu, S = optimum(batch(pts, glob), table)
    d = describe(w, S)
    o = {}
    o["default_mix"] = np.round(w[0],3).tolist(); o["default_n01"] = int(d["n01"][0]); o["default_cov"] = float(d["cov"][0])
    o["tilt_weak"] = float(d["x"][2]-d["x"][1]); o["tilt_strong"] = float(d["x"][4]-d["x"][3])
    o["tilt_labels"] = [str(d["label"][i]) for i in (2,4)]
    o["ally_fails_dx"] = float(d["x"][6]-d["x"][5])
    o["imm_weak"] = str(d["label"][7]) + " x=%.2f" % d["x"][7]; o["imm_strong"] = str(d["label"][8]) + " x=%.2f" % d["x"][8]
    b = slice(9, None); lab = d["label"][b]
    o["box_hedging"] = float((lab=="hedging").mean()); o["box_balancing"] = float((lab=="balancing").mean())
    o["box_bandwagoning"] = float((lab=="bandwagoning").mean())
    hed = lab=="hedging"
    o["box_covneg"] = float((d["cov"][b][hed] < 0).mean()); o["box_n3"] = float((d["n01"][b][hed] >= 3).mean())
    arg = np.argmax(w[b], 1); o["box_largest"] = {CODES[k]: int((arg==k).sum()) for k in range(7) if (arg==k).any()}
    o["box_mean_mix"] = np.round(w[b].mean(0),3).tolist()
    if verbose:
        for k,v in o.items(): print(k, v)
    return o
if __name__ == "__main__":
    import time; t=time.time(); evaluate(T0, {}, True); print("s", time.time()-t)
