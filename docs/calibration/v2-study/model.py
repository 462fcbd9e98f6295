"""Model v2's static stand-in (docs/calibration/v2-design.md): the mix a state settles on at given
beliefs, the optimum of mu.w - (gamma/2) w'Sigma w on the floored simplex, for many parameter points
at once. Factors: theta (the great power's type), c (coercion), kappa (allies deliver), z (economic
shock), and each component's own noise."""
import numpy as np
CODES = ["PB","IB","DD","EP","BE","LB","PW"]
ACC = np.array([0,0,0,0,1,1,1.0]); REJ = np.array([1,1,1,0,0,0,0.0]); POS = np.array([3,2,1,0,-1,-2,-3])/3
# columns: ret depret ins expl prov prot shock
# The first search's starting table (a first guess, not the v1 table); columns as in the comment above.
T0 = np.array([
 [-0.60,-0.50, 0.80, 0.00, 1.20, 1.00, 0.00],
 [-0.15,-0.20, 0.60, 0.00, 0.40, 0.00, 0.00],
 [ 0.00,-0.20, 0.10, 0.00, 0.20, 0.80,-0.20],
 [ 0.40, 0.30, 0.00, 0.30, 0.00, 0.00, 0.60],
 [ 0.25, 0.10, 0.00, 0.15,-0.30, 0.00, 0.00],
 [ 0.35, 0.20, 0.00, 0.50,-0.60, 0.00, 0.10],
 [ 0.40, 0.30, 0.00, 1.00,-1.00, 0.00, 0.30]])
def model(P, table):
    ret,depret,ins,expl,prov,prot,shock = [table[:,j][None,:] for j in range(7)]
    c = lambda k: P[k][:,None]
    V = np.clip(c("focus")*(1-c("cap")) - c("mil") - c("T")*c("r"), 0, 1)
    b = ret + depret*c("dep")
    h = c("stakes")*(ins*(c("cap")+c("mil")) + prot*c("T")*c("r") - expl*(c("x0")+c("x1")*c("dep"))) - c("loss")*b
    pc = -c("stakes")*prov*V*(1 + c("immst")*c("imm"))
    q = c("stakes")*prot*c("T")*c("m")
    e = shock*c("dep")
    imm = c("imm")
    pi_c = np.minimum(1.0, c("kc")*c("m")*c("focus")*(1-imm) + imm)
    vth = c("vtheta")*(1-imm)
    mu = b + h*c("m") + pc*pi_c + P["legit"]
    outer = lambda a: a[:,:,None]*a[:,None,:]
    S = (outer(h)*vth[:,:,None] + outer(pc)*(pi_c*(1-pi_c))[:,:,None] + outer(q)*c("vk")[:,:,None]
         + outer(e)*(c("sz")**2)[:,:,None] + np.eye(7)[None]*(c("idio")**2)[:,:,None])
    return mu, S
def project(w, floor=1e-3):
    w = np.where(np.isfinite(w), w, 0); w = w/w.sum(1, keepdims=True)
    fixed = np.zeros_like(w, bool)
    for _ in range(7):
        low = (w < floor) & ~fixed
        if not low.any(): break
        fixed |= low
        nf = fixed.sum(1, keepdims=True)
        free_sum = np.where(fixed, 0, w).sum(1, keepdims=True)
        w = np.where(fixed, floor, w/np.maximum(free_sum,1e-300)*(1-floor*nf))
    return w
def optimum(P, table, iters=800, eta=0.15):
    mu, S = model(P, table)
    n = mu.shape[0]; w = np.full((n,7), 1/7); g_ = P["gamma"][:,None]
    for _ in range(iters):
        g = mu - g_*np.einsum("nij,nj->ni", S, w)
        w = project(w*np.exp(eta*(g - g.max(1, keepdims=True))))
    return w, mu, S
def describe(w, S):
    wa, wr = w*ACC, w*REJ
    A, R = w@ACC, w@REJ
    lab = np.where((A>=0.1)&(R>=0.1), "hedging", np.where(R>=0.1, "balancing", np.where(A>=0.1, "bandwagoning", "neutral")))
    cov = np.einsum("ni,nij,nj->n", wa, S, wr)
    return dict(x=w@POS, A=A, R=R, label=lab, n01=(w>=0.1).sum(1), cov=cov)
DEF = dict(cap=0.1, mil=0.2, dep=0.3, m=0.4, vtheta=0.069, T=0.06, r=0.5, vk=0.05, focus=1.0, imm=0.0, immst=1.0,
           gamma=6.0, stakes=2.5, loss=0.8, x0=0.3, x1=1.0, kc=0.5, idio=0.15, sz=0.3)
def batch(points, glob):
    keys = set(DEF) | set(glob)
    P = {k: np.array([pt.get(k, glob.get(k, DEF.get(k))) for pt in points], float) for k in keys if k != "legit"}
    P["legit"] = np.zeros((len(points),7))
    return P
