"""The hedgesim teaching model, written the way a researcher would write it with Mesa.

This is a peer implementation for benchmarking (see README.md next to this file), not part of
hedgesim. It ports the model of `docs/model.md` as hedgesim v1 runs it:

* one `mesa.Model` (`HedgingModel`) whose `step()` is one turn, in the order of docs/model.md §7b;
* three `mesa.Agent` classes: `SmallState`, `GreatPower`, `ThirdPower`;
* a `mesa.DataCollector` recording each turn's mix, indices, label and the great power's action;
* numpy for the 7-component vectors (payoff coefficients, gradient, mix).

It follows hedgesim's documented implementation choices: the floor projection that pins floored
weights at exactly the floor (docs/model.md §5), the max-g subtraction in the exponentiated-gradient
step, non-forgetting reliability beliefs, T taken at decision time for the military update, the
legitimation bonus left out of the realised payoff, and the decision seeing the imminence of the
start of the turn.

Not ported (the benchmark scenario needs none of them): scenario events, the `fixed` decision rule.
A scenario that uses them is refused rather than run wrongly.

Randomness: one `numpy.random.Generator` per model (Mesa's `model.rng`, PCG64 seeded with the run's
seed). Per turn it draws in hedgesim's order: one uniform for the great power's action, one uniform
for κ, one normal for z, seven normals for ε, then one uniform per tested partner after a coercion.
The streams differ from hedgesim's ChaCha8, so single runs differ; distributions agree (validate.py).

Usage:
    python hedge_mesa.py run  SCENARIO.toml [--seed S]            # one run, per-turn CSV on stdout
    python hedge_mesa.py batch SCENARIO.toml --runs N [--processes P] [--out runs.csv]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tomllib

import mesa
import numpy as np

CODES = ["PB", "IB", "DD", "EP", "BE", "LB", "PW"]
N = 7
POSITION = np.array([3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0])
REJECTION = np.array([1, 1, 1, 0, 0, 0, 0], dtype=bool)
ACCEPTANCE = np.array([0, 0, 0, 0, 1, 1, 1], dtype=bool)
EP = 3
PB, IB, DD = 0, 1, 2

# hedgesim's default doctrine table (docs/model.md §4, as calibrated):
# columns RET, DEPRET, INS, PROV, EXPL, PROT, SHOCK.
DOCTRINE_KEYS = ["ret", "depret", "ins", "prov", "expl", "prot", "shock"]
DEFAULT_DOCTRINE = np.array(
    [
        [-0.60, -0.5, 0.30, 1.20, 0.00, 1.0, 0.0],  # PB
        [-0.03, -0.4, 0.50, 0.25, 0.00, 0.4, 0.0],  # IB
        [0.09, -0.13, 0.45, 0.15, 0.00, 0.5, 0.0],  # DD
        [0.45, 0.3, 0.00, 0.00, 0.50, 0.0, 0.5],  # EP
        [0.28, 0.06, 0.00, -0.20, 0.12, 0.0, 0.0],  # BE
        [0.34, 0.2, 0.00, -0.40, 0.55, 0.0, 0.1],  # LB
        [0.35, 0.3, 0.00, -0.60, 1.10, 0.0, 0.3],  # PW
    ]
)

ACTIONS = ["reward", "hold", "pressure", "coerce"]
# Signed evidence of each action about the great power's hostility (docs/model.md §3; positive is
# hostile), overridable as `beliefs.<action>_signal` like in hedgesim.
DEFAULT_SIGNALS = {"reward": -0.5, "hold": -0.1, "pressure": 0.5, "coerce": 3.0}
TESTED_SUPPORT = 0.05
TILT_THRESHOLD = 0.15


# ----------------------------------------------------------------------------------------------
# Scenario: the TOML file with hedgesim's defaults filled in.


def load_scenario(path: str) -> dict:
    """Read a hedgesim scenario file into a flat dict of parameters (hedgesim's defaults)."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    if doc.get("events"):
        raise SystemExit(f"{path}: events are not ported to the Mesa model")
    meta = doc.get("meta", {})
    s = doc.get("small_state", {})
    g = doc.get("great_power", {})
    b = doc.get("beliefs", {})
    d = doc.get("decision", {})
    p = doc.get("payoff", {})
    dy = doc.get("dynamics", {})
    if d.get("rule", "hedge") != "hedge":
        raise SystemExit(f"{path}: only rule = \"hedge\" is ported to the Mesa model")
    doctrine = DEFAULT_DOCTRINE.copy()
    for code, row in doc.get("doctrine", {}).items():
        for key, v in row.items():
            doctrine[CODES.index(code), DOCTRINE_KEYS.index(key)] = v
    legit = np.zeros(N)
    for code, v in s.get("legit", {}).items():
        legit[CODES.index(code)] = v
    mix = np.full(N, 1.0 / N)
    if "initial_mix" in s:
        mix = np.array([float(s["initial_mix"].get(c, 0.0)) for c in CODES])
        mix /= mix.sum()
    third_powers = []
    for t in doc.get("third_powers", []):
        affinity = t.get("affinity", 0.2)
        third_powers.append(
            dict(
                name=t["name"],
                cap=t.get("cap", 0.3),
                reliability=t.get("reliability", 0.5),
                affinity=affinity,
                exclusivity=t.get("exclusivity", 0.0),
                support=t.get("support", affinity),
            )
        )
    return dict(
        turns=int(meta.get("turns", 80)),
        cap=s.get("cap", 0.1),
        mil=s.get("mil", 0.2),
        dep=s.get("dep", 0.3),
        gamma=s.get("gamma", 6.0),
        stakes=s.get("stakes", 2.5),
        eta=s.get("eta", 0.6),
        imminence=s.get("imminence", 0.0),
        legit=legit,
        initial_mix=mix,
        hostility=g.get("hostility", 0.4),
        focus=g.get("focus", 1.0),
        beta=g.get("beta", 4.0),
        third_powers=third_powers,
        prior_hostility=tuple(b.get("prior_hostility", (2.0, 3.0))),
        prior_reliability=tuple(b.get("prior_reliability", (2.0, 2.0))),
        forgetting=b.get("forgetting", 0.9),
        fluidity=b.get("fluidity", 0.06),
        horizon=b.get("horizon", 8.0),
        signals={a: b.get(f"{a}_signal", v) for a, v in DEFAULT_SIGNALS.items()},
        inner_steps=int(d.get("inner_steps", 3)),
        floor=d.get("floor", 1e-3),
        imminence_weight=d.get("imminence_weight", 3.0),
        rivalry=d.get("rivalry", 0.0),
        label_threshold=d.get("label_threshold", 0.1),
        doctrine=doctrine,
        idio=p.get("idio", 0.15),
        shock_sd=p.get("shock_sd", 0.3),
        exploitation_base=p.get("exploitation_base", 0.6),
        exploitation_dependence=p.get("exploitation_dependence", 0.45),
        imminence_stakes=p.get("imminence_stakes", 4.0),
        rivalry_stakes=p.get("rivalry_stakes", 3.0),
        imminence_decay=dy.get("imminence_decay", 0.7),
        support_rate=dy.get("support_rate", 0.3),
        military_rate=dy.get("military_rate", 0.1),
        military_decay=dy.get("military_decay", 0.05),
        dependence_rate=dy.get("dependence_rate", 0.05),
    )


# ----------------------------------------------------------------------------------------------
# The spectrum.


def label_of(w: np.ndarray, tau: float) -> tuple[str, str]:
    """Kuik's label (and a hedge's tilt) of a mix (docs/model.md §1)."""
    a = w[ACCEPTANCE].sum()
    r = w[REJECTION].sum()
    if a >= tau and r >= tau:
        x = w @ POSITION / 3.0
        tilt = "balancing" if x > TILT_THRESHOLD else "bandwagoning" if x < -TILT_THRESHOLD else "even"
        return "hedging", tilt
    if r >= tau:
        return "balancing", ""
    if a >= tau:
        return "bandwagoning", ""
    return "neutral", ""


def project_with_floor(w: np.ndarray, floor: float) -> np.ndarray:
    """Back onto the simplex with every weight >= floor; floored weights sit exactly at the floor
    and the others are rescaled to fill the rest (hedgesim's `Mix::project_with_floor`)."""
    floor = min(max(floor, 0.0), 1.0 / N)
    w = np.where(np.isfinite(w) & (w > 0.0), w, 0.0)
    total = w.sum()
    if not (total > 0.0 and math.isfinite(total)):
        return np.full(N, 1.0 / N)
    w = w / total
    pinned = np.zeros(N, dtype=bool)
    for _ in range(N):
        free_mass = w[~pinned].sum()
        target = 1.0 - floor * pinned.sum()
        scale = target / free_mass if free_mass > 0.0 else 0.0
        w = np.where(pinned, floor, w * scale)
        newly = ~pinned & (w < floor)
        if not newly.any():
            break
        pinned |= newly
    w[pinned] = floor
    return w


# ----------------------------------------------------------------------------------------------
# Agents.


class ThirdPower(mesa.Agent):
    """An outside partner whose support the small state leans on and whose reliability it learns."""

    def __init__(self, model, name, cap, reliability, affinity, exclusivity, support, prior):
        super().__init__(model)
        self.name = name
        self.cap = cap
        self.reliability = reliability
        self.affinity = affinity
        self.exclusivity = exclusivity
        self.support = support
        self.belief_a, self.belief_b = prior

    @property
    def engaged(self) -> float:
        return self.cap * self.support

    def belief_mean(self) -> float:
        return self.belief_a / (self.belief_a + self.belief_b)

    def belief_var(self) -> float:
        n = self.belief_a + self.belief_b
        return self.belief_a * self.belief_b / (n * n * (n + 1.0))

    def test(self) -> None:
        """The great power coerced: is support delivered? The small state learns (no forgetting)."""
        if self.model.rng.random() < self.reliability:
            self.belief_a += 1.0
        else:
            self.belief_b += 1.0

    def update_support(self, rejection: float, acceptance: float) -> None:
        target = min(max(self.affinity + rejection - self.exclusivity * acceptance, 0.0), 1.0)
        self.support += self.model.p["support_rate"] * (target - self.support)


class GreatPower(mesa.Agent):
    """Watches the small state's mix and answers by logit choice over four actions (docs/model.md §6)."""

    def __init__(self, model, hostility, focus, beta):
        super().__init__(model)
        self.hostility = hostility
        self.focus = focus
        self.beta = beta

    def utilities(self, w: np.ndarray, dep: float, mil: float, t_cap: float) -> np.ndarray:
        a = w[ACCEPTANCE].sum()
        r = w[REJECTION].sum()
        x_pos = max(w @ POSITION / 3.0, 0.0)
        reward = 0.6 * (a + 0.5 * w[EP]) - 0.3
        pressure = self.hostility * (1.5 * x_pos + 0.5 * r) - 0.3 * (1.0 - dep) - 0.1
        if self.focus > 0.0:
            coerce = self.hostility * (3.0 * w[PB] + x_pos) - (1.0 + mil + t_cap) / self.focus
        else:
            coerce = -np.inf
        return np.array([reward, 0.0, pressure, coerce])

    def choose(self, w: np.ndarray, dep: float, mil: float, t_cap: float) -> str:
        u = self.utilities(w, dep, mil, t_cap)
        p = np.exp(self.beta * (u - u.max()))
        p /= p.sum()
        draw = self.model.rng.random()
        acc = 0.0
        for action, pk in zip(ACTIONS, p):
            acc += pk
            if draw < acc:
                return action
        return ACTIONS[int(np.flatnonzero(p > 0)[-1])]  # rounding left draw above the last sum


class SmallState(mesa.Agent):
    """The hedger: prices each component of Kuik's spectrum and moves its mix (docs/model.md §4–§5)."""

    def __init__(self, model, cap, mil, dep, gamma, stakes, eta, imminence, legit, mix):
        super().__init__(model)
        self.cap = cap
        self.mil = mil
        self.dep = dep
        self.dep0 = dep
        self.gamma = gamma
        self.stakes = stakes
        self.eta = eta
        self.imminence = imminence
        self.legit = legit
        self.mix = mix.copy()

    def payoff_model(self, v: float, t_cap: float, theta_mean: float, theta_var: float,
                     kappa_mean: float, kappa_var: float) -> dict:
        """The factor payoff coefficients of docs/model.md §4 for this turn."""
        p = self.model.p
        d = p["doctrine"]
        sigma = 1.0 + p["imminence_stakes"] * self.imminence + p["rivalry_stakes"] * p["rivalry"]
        base = d[:, 0] + d[:, 1] * self.dep
        exposure = p["exploitation_base"] + p["exploitation_dependence"] * self.dep
        hostility = self.stakes * (d[:, 2] - d[:, 3] * v * sigma - d[:, 4] * exposure)
        protection = d[:, 5] * t_cap
        shock = d[:, 6] * self.dep
        mean = base + hostility * theta_mean + protection * kappa_mean + self.legit
        return dict(base=base, h=hostility, q=protection, e=shock, mean=mean,
                    var_theta=theta_var, var_kappa=kappa_var,
                    var_z=p["shock_sd"] ** 2, var_idio=p["idio"] ** 2)

    def gradient(self, m: dict, w: np.ndarray, pressure: float) -> np.ndarray:
        """∇U for U(w) = μ·w − (γ/2)·wᵀΣw − 4·π·A·R, with Σ = hhᵀVarθ + qqᵀVarκ + eeᵀsd² + idio²·I."""
        cov_w = (m["h"] * (m["h"] @ w) * m["var_theta"] + m["q"] * (m["q"] @ w) * m["var_kappa"]
                 + m["e"] * (m["e"] @ w) * m["var_z"] + m["var_idio"] * w)
        a = w[ACCEPTANCE].sum()
        r = w[REJECTION].sum()
        side = np.where(REJECTION, a, np.where(ACCEPTANCE, r, 0.0))
        return m["mean"] - self.gamma * cov_w - 4.0 * pressure * side

    def decide(self, m: dict, pressure: float) -> None:
        """Exponentiated-gradient ("Hedge") steps with the floor projection."""
        p = self.model.p
        w = self.mix
        for _ in range(p["inner_steps"]):
            g = self.gradient(m, w, pressure)
            w = w * np.exp(self.eta * (g - g.max()))
            w = project_with_floor(w, p["floor"])
        self.mix = w

    def update_military(self, t_cap: float) -> None:
        p = self.model.p
        w = self.mix
        build = w[IB] + 0.5 * w[PB] + 0.3 * t_cap
        self.mil = min(max(self.mil + p["military_rate"] * build - p["military_decay"] * self.mil, 0.0), 1.0)

    def update_dependence(self) -> None:
        w = self.mix
        target = self.dep0 + 0.5 * (w[EP] + w[ACCEPTANCE].sum()) - 0.5 * (w[DD] + w[PB]) - 0.25
        target = min(max(target, 0.0), 1.0)
        self.dep += self.model.p["dependence_rate"] * (target - self.dep)


# ----------------------------------------------------------------------------------------------
# The model.


class HedgingModel(mesa.Model):
    """One small state, one great power and its third powers; `step()` is one turn (docs/model.md §7b)."""

    def __init__(self, scenario: dict | str, seed: int | None = None, forced=None):
        super().__init__(seed=seed)
        p = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.p = p
        self.turns = p["turns"]
        self.turn = 0
        # Replay hook for validate.py: a list of (action, [delivered per tested partner]) per turn
        # replaces the great power's draw and the tests' draws. None in ordinary runs.
        self.forced = forced

        self.state = SmallState(self, p["cap"], p["mil"], p["dep"], p["gamma"], p["stakes"], p["eta"],
                                p["imminence"], p["legit"], p["initial_mix"])
        self.great_power = GreatPower(self, p["hostility"], p["focus"], p["beta"])
        self.partners = [ThirdPower(self, prior=p["prior_reliability"], **t) for t in p["third_powers"]]
        self.prior_a, self.prior_b = p["prior_hostility"]
        self.belief_a, self.belief_b = self.prior_a, self.prior_b

        self.record: dict = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "turn": lambda m: m.record["turn"],
                "mix": lambda m: m.record["mix"],
                "A": lambda m: m.record["A"],
                "R": lambda m: m.record["R"],
                "x": lambda m: m.record["x"],
                "H": lambda m: m.record["H"],
                "label": lambda m: m.record["label"],
                "tilt": lambda m: m.record["tilt"],
                "action": lambda m: m.record["action"],
                "belief_mean": lambda m: m.record["belief_mean"],
                "mil": lambda m: m.state.mil,
                "dep": lambda m: m.state.dep,
                "payoff": lambda m: m.record["payoff"],
            }
        )

    # Beliefs about the great power's hostility (docs/model.md §3).
    def hostility_mean(self) -> float:
        return self.belief_a / (self.belief_a + self.belief_b)

    def hostility_var(self) -> float:
        n = self.belief_a + self.belief_b
        return self.belief_a * self.belief_b / (n * n * (n + 1.0))

    def reliability_belief(self) -> tuple[float, float]:
        total = sum(t.engaged for t in self.partners)
        if total <= 0.0:
            return 0.5, 0.0
        mean = sum(t.engaged * t.belief_mean() for t in self.partners) / total
        var = sum(t.engaged * t.belief_var() for t in self.partners) / total
        return mean, var

    def step(self):
        p = self.p
        s, g = self.state, self.great_power
        # 1. Events dated this turn: none in the ported scenarios.

        # 2. The small state reads its beliefs, prices each component and adjusts its mix.
        t_cap = sum(t.engaged for t in self.partners)
        kappa_mean, kappa_var = self.reliability_belief()
        v = min(max(g.focus * (1.0 - s.cap) - s.mil - t_cap * kappa_mean, 0.0), 1.0)
        theta_mean = self.hostility_mean()
        belief_var = self.hostility_var()
        plan_var = belief_var + p["horizon"] * p["fluidity"] ** 2
        m = s.payoff_model(v, t_cap, theta_mean, plan_var, kappa_mean, kappa_var)
        pressure = (p["imminence_weight"] * s.imminence + p["rivalry"]
                    + sum(t.exclusivity * t.support for t in self.partners))
        imminence_seen = s.imminence
        s.decide(m, pressure)
        w = s.mix
        a, r = w[ACCEPTANCE].sum(), w[REJECTION].sum()

        # 3. The great power answers by logit choice.
        if self.forced is None:
            action = g.choose(w, s.dep, s.mil, t_cap)
        else:
            action = self.forced[self.turn][0]

        # 4. Nature draws κ, z, ε; the state collects its realised payoff.
        mean_reliability = np.mean([t.reliability for t in self.partners]) if self.partners else 0.0
        kappa = 1.0 if self.rng.random() < mean_reliability else 0.0
        z = self.rng.standard_normal() * p["shock_sd"]
        eps = self.rng.standard_normal(N) * p["idio"]
        r_k = m["base"] + m["h"] * g.hostility + m["q"] * kappa + m["e"] * z + eps
        realised = float(w @ r_k)
        if action == "reward":
            realised += 0.3 * a
        elif action == "pressure":
            realised -= 0.4 * s.dep + 0.2
        elif action == "coerce":
            realised -= max(0.0, 1.0 - s.mil - t_cap)

        # 5. Coercion tests every partner that offered support, in file order.
        if action == "coerce":
            tested = [t for t in self.partners if t.support > TESTED_SUPPORT]
            for i, t in enumerate(tested):
                if self.forced is None:
                    t.test()
                elif self.forced[self.turn][1][i]:
                    t.belief_a += 1.0
                else:
                    t.belief_b += 1.0
            s.imminence = 1.0

        # 6. Hostility belief learns from the action (with forgetting); imminence fades.
        signal = p["signals"][action]
        hostile, benign = max(signal, 0.0), max(-signal, 0.0)
        delta = p["forgetting"]
        self.belief_a = self.prior_a + delta * (self.belief_a - self.prior_a) + hostile
        self.belief_b = self.prior_b + delta * (self.belief_b - self.prior_b) + benign
        s.imminence *= p["imminence_decay"]

        # 7. Partners adjust support; military (this turn's T) and dependence drift. Record.
        for t in self.partners:
            t.update_support(r, a)
        s.update_military(t_cap)
        s.update_dependence()

        label, tilt = label_of(w, p["label_threshold"])
        self.record = dict(
            turn=self.turn, mix=w.tolist(), A=a, R=r, x=w @ POSITION / 3.0, H=2.0 * min(a, r),
            label=label, tilt=tilt, action=action, belief_mean=theta_mean, belief_var=belief_var,
            plan_var=plan_var, reliability_mean=kappa_mean, imm=imminence_seen, V=v, pi=pressure,
            payoff=realised,
        )
        self.datacollector.collect(self)
        self.turn += 1
        if self.turn >= self.turns:
            self.running = False


# ----------------------------------------------------------------------------------------------
# Command line.


def run_one(args) -> None:
    model = HedgingModel(args.scenario, seed=args.seed)
    while model.running:
        model.step()
    df = model.datacollector.get_model_vars_dataframe()
    mix = np.array(df.pop("mix").tolist())
    for k, c in enumerate(CODES):
        df["w_" + c] = mix[:, k]
    df.to_csv(sys.stdout, index=False)


def batch(args) -> None:
    """N runs × `turns` turns with mesa.batch_run, seeds first_seed … first_seed+N−1; prints the
    wall time of the whole batch (model construction, stepping, data collection, collation)."""
    scenario = load_scenario(args.scenario)
    t0 = time.perf_counter()
    results = mesa.batch_run(
        HedgingModel,
        parameters={"scenario": [scenario], "seed": range(args.first_seed, args.first_seed + args.runs)},
        iterations=1,
        max_steps=scenario["turns"],
        number_processes=args.processes,
        data_collection_period=args.period,
        display_progress=False,
    )
    elapsed = time.perf_counter() - t0
    turns = args.runs * scenario["turns"]
    if args.out:
        import pandas as pd

        df = pd.DataFrame(results).drop(columns=["scenario"])
        mix = np.array(df.pop("mix").tolist())
        for k, c in enumerate(CODES):
            df["w_" + c] = mix[:, k]
        df.to_csv(args.out, index=False)
    print(f"mesa runs={args.runs} turns={turns} processes={args.processes} "
          f"wall_s={elapsed:.3f} turns_per_s={turns / elapsed:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="one run, per-turn CSV on stdout")
    r.add_argument("scenario")
    r.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("batch", help="N runs with mesa.batch_run, timed")
    b.add_argument("scenario")
    b.add_argument("--runs", type=int, default=1000)
    b.add_argument("--first-seed", type=int, default=0)
    b.add_argument("--processes", type=int, default=1, help="mesa.batch_run number_processes (1 = serial)")
    b.add_argument("--period", type=int, default=-1,
                   help="batch_run data_collection_period: -1 = last turn only (default), 1 = every turn")
    b.add_argument("--out", help="write batch_run's collated rows to this CSV")
    args = ap.parse_args()
    run_one(args) if args.cmd == "run" else batch(args)


if __name__ == "__main__":
    main()
