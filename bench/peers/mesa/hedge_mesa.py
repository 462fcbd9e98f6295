"""The hedgesim teaching model, written as a competent Mesa 3 user would write it.

This is a peer implementation for benchmarking and validation (see README.md next to this file),
not part of hedgesim. It ports the model that `docs/model.md` describes and `src/` runs, including
the side choice (`decision.side_choice`, docs/model.md §5) and the calibrated doctrine table:

* one `mesa.Model` (`HedgingModel`) whose `step()` is one turn, in the order of docs/model.md §7b;
* three `mesa.Agent` classes: `SmallState`, `GreatPower`, `ThirdPower`; the partners are the model's
  `AgentSet` of `ThirdPower`s;
* a `mesa.DataCollector` that records hedgesim's per-turn record (the columns of
  `hedgesim run --format csv`) when the model is built with `collect=True`, and `mesa.batch_run` for
  batches of such runs;
* the 7-vectors as plain Python floats: on seven elements, numpy's per-call overhead costs more than
  the arithmetic it saves, so numpy is used only for the random draws (Mesa's `model.rng`).

Two modes, because both are what people run:

* `collect=True`: every turn builds the record and `DataCollector.collect` stores it (what a Mesa
  user usually runs; `batch_run` needs it, since it reads the collected data at the last step).
* `collect=False`: no per-turn record. The run keeps only the per-run summary that hedgesim's
  `runs.csv` holds (label shares, mean H and x, mean payoff, action counts, the final state), so it
  does the work of `hedgesim sweep`. `batch_run` cannot run such a model (it indexes the collected
  data by step), so `run_batch` uses `Model.run_model` in a `multiprocessing.Pool`, as batch_run does.

It follows hedgesim's documented implementation choices: the floor projection that pins floored
weights at exactly the floor (docs/model.md §5), reliability beliefs that forget only when
`beliefs.reliability_forgetting` < 1, T taken at
decision time for the military update, the legitimation bonus left out of the realised payoff, the
decision seeing the imminence of the start of the turn, and the great power's logit with the
maximum subtracted. The exponentiated-gradient step always subtracts `max g`; hedgesim subtracts
nothing while the exponents are moderate. Both give the same mix after the projection, to rounding.

Events: typed events (`type = "…"`, docs/events.md) are expanded from `event_types.json` next to
this file, the vocabulary as `hedgesim events --format json` prints it (tests/events.rs keeps the
copy current), so the table is never written out twice. Free-number events are read too, on the
fields the vocabulary's types change (their ranges, for the clipping of a shift, come from the same
file), plus the signals and imminence; an event on any other field is refused.

Not ported (the benchmark scenario needs it not): the `fixed` decision rule. A scenario that uses
it, or an event on a field the port does not follow, is refused rather than run wrongly.

Every field's default, range and time scale comes from `fields.json` next to this file, the schema
as `hedgesim fields --format json --format-version 2` prints it (tests/schema.rs keeps the copy
current), so no default is written out twice. Both scenario formats are read: format 1 (rates per
turn) and format 2 (every rate per year, converted by `meta.turns_per_year` with the field's kind
of docs/model.md, "Time scale": `PER_TURN` below).

Randomness: Mesa's `model.rng`, a numpy PCG64 `Generator` seeded with the run's seed. Per turn it
draws in hedgesim's order: one uniform for the great power's action, one for κ, one normal for z,
seven normals for ε, then one uniform per tested partner after a coercion, or, without coercion
and with `dynamics.partner_test_rate` > 0, one uniform per partner. The streams differ from
hedgesim's ChaCha8, so single runs differ; validate.py shows that the model is the same.

Usage:
    python hedge_mesa.py run   SCENARIO.toml [--seed S]          # one run, per-turn CSV on stdout
    python hedge_mesa.py batch SCENARIO.toml --runs N [--processes P] [--no-collect] [--out runs.csv]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import multiprocessing
import sys
import time
import tomllib
from functools import partial
from operator import mul

import mesa

CODES = ("PB", "IB", "DD", "EP", "BE", "LB", "PW")
N = 7
POSITION = (3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0)
PB, IB, DD, EP = 0, 1, 2, 3

ACTIONS = ("reward", "hold", "pressure", "coerce")
REWARD, HOLD, PRESSURE, COERCE = range(4)
TESTED_SUPPORT = 0.05
TILT_THRESHOLD = 0.15
LABELS = ("hedging", "balancing", "bandwagoning", "neutral")

# The columns of `hedgesim run --format csv` that the port records (all but `year`); the partners'
# supports follow as `s_<name>`.
RECORD_COLUMNS = (
    ("turn",) + tuple("w_" + c for c in CODES)
    + ("A", "R", "x", "H", "label", "tilt", "g_action", "belief_mean", "belief_var", "plan_var",
       "reliability_mean", "imm", "V", "pi", "mil", "dep", "payoff")
)


# ----------------------------------------------------------------------------------------------
# The schema: hedgesim's table of fields, read from its copy, never written out here.

HERE = os.path.dirname(os.path.abspath(__file__))

# `hedgesim fields --format json --format-version 2` (tests/schema.rs keeps the copy current): for
# every field its path, kind (real, integer, bool), range, format 1's default (`default`; `format_1`
# false for a field only format 2 may write) and format 2's (`format_2.default`, per year for a
# rate), and the time-scale kind that turns format 2's per-year number into the per-turn number a
# turn uses (`format_2.time_scale`). A family's member is written `<name>` or `<component>`.
FIELDS_FILE = os.path.join(HERE, "fields.json")
with open(FIELDS_FILE, encoding="utf-8") as _f:
    FIELDS = {row["path"]: row for row in json.load(_f)}

# The per-turn number of a per-year one at `tpy` turns a year, by the kind's name in
# `hedgesim fields` (core/src/param.rs `TimeScale`; docs/model.md §8b, "Time scale").
PER_TURN = {
    "": lambda v, tpy: v,  # Fixed: not a rate, the same number in both formats
    "kept share": lambda v, tpy: v ** (1.0 / tpy),  # Kept: x ← k·x compounds over a year
    "gap-closing rate": lambda v, tpy: 1.0 - (1.0 - v) ** (1.0 / tpy),  # GapClosing: the gap is kept
    "flow per year": lambda v, tpy: v / tpy,  # Flow: a step of an ODE
    "drift sd": lambda v, tpy: v / math.sqrt(tpy),  # DriftSd: variances add over a year
    "duration": lambda v, tpy: v * tpy,  # Duration: years to turns
}
CAST = {"real": float, "integer": int, "bool": bool}

# What a file may write beside the schema's fields (read by load_scenario itself), by table.
NOT_FIELDS = {
    "small_state": ("name", "legit", "initial_mix"),
    "great_power": ("name",),
    "beliefs": ("prior_hostility", "prior_reliability"),
    "decision": ("rule", "mix"),
    "third_powers.<name>": ("name",),
}
# The defaults of the keys outside the schema's table, which `hedgesim fields` does not print: the
# meta table's clock and length (core/src/scenario.rs, core/src/world.rs) and the Beta priors
# (core/src/beliefs.rs); the initial mix is uniform and the rule "hedge". validate.py's fields check
# replays files that write none of them; `start_year` only dates events given by `at`, and those
# files have none, so that default is checked nowhere.
META_DEFAULTS = {"turns": 80, "turns_per_year": 4, "start_year": 2000.0}
DEFAULT_PRIOR_HOSTILITY, DEFAULT_PRIOR_RELIABILITY = (2.0, 3.0), (2.0, 2.0)


class FileFields:
    """A scenario file's fields in the unit a turn uses, each with the schema's default: format 1
    as written, format 2 converted from per year by the field's time-scale kind at the file's
    `meta.turns_per_year`. What hedgesim would refuse that the port could misread (a value out of
    the schema's range, a format-2 field in a format-1 file, a key the copy does not know) is refused."""

    def __init__(self, path: str, doc: dict):
        self.path = path
        self.format = doc.get("format", 1)
        self.tpy = int(doc.get("meta", {}).get("turns_per_year", META_DEFAULTS["turns_per_year"]))

    def refuse(self, message: str):
        raise SystemExit(f"{self.path}: {message}")

    def value(self, pattern: str, table: dict, key: str, member: str = "", read: dict | None = None):
        """Field `pattern` (`payoff.idio`, `third_powers.<name>.cap`) as `table[key]` writes it or
        by default; `member` fills a family's `<…>`, and `read` holds the member's fields read so far
        (a default may follow one of them: a partner's support starts at its affinity)."""
        row = FIELDS[pattern]
        where = pattern.replace("<name>", member).replace("<component>", member)
        if key in table:
            v = table[key]
            if self.format == 1 and not row["format_1"]:
                self.refuse(f"`{where}` is a field of format 2")
            number = isinstance(v, int | float) and not isinstance(v, bool)
            if not (isinstance(v, bool) if row["kind"] == "bool" else number and row["min"] <= v <= row["max"]):
                self.refuse(f"`{where}` = {v!r} is outside its range {row['min']} to {row['max']}")
        else:
            v = row["default"] if self.format == 1 else row["format_2"]["default"]
            if isinstance(v, dict) and "follows" in v:
                return read[v["follows"].rsplit(".", 1)[1]]
            if isinstance(v, dict):
                v = v[member]
        if self.format != 1:
            v = PER_TURN[row["format_2"]["time_scale"]](v, self.tpy)
        return CAST[row["kind"]](v)

    def table(self, section: str, table: dict, member: str = "") -> dict:
        """Every field of `section` (`payoff`, `third_powers.<name>`, `doctrine.<component>`) by
        key, in the schema's order."""
        read = {}
        for pattern, row in FIELDS.items():
            head, key = pattern.rsplit(".", 1)
            if head == section and row["in_file"]:
                read[key] = self.value(pattern, table, key, member, read)
        unknown = sorted(set(table) - set(read) - set(NOT_FIELDS.get(section, ())))
        if unknown:
            self.refuse(f"`{section}.{unknown[0]}` is not a field of fields.json (if hedgesim has it, "
                        "the copy is out of date: see README.md)")
        return read


def dot(a, b) -> float:
    return sum(map(mul, a, b))


# ----------------------------------------------------------------------------------------------
# Scenario: the TOML file with hedgesim's defaults filled in, and the constants derived from it.


# The event vocabulary, hedgesim's own (`hedgesim events --format json`): each type's fixed effects
# and the range of each field it sets or shifts.
EVENT_TYPES_FILE = os.path.join(HERE, "event_types.json")


def load_event_types() -> dict:
    with open(EVENT_TYPES_FILE, encoding="utf-8") as f:
        return {t["type"]: t for t in json.load(f)}


def field_pattern(path: str) -> str:
    """A concrete field path in the vocabulary's spelling: `third_powers.West.affinity` →
    `third_powers.<partner>.affinity`, `small_state.legit.DD` → `small_state.legit.<component>`."""
    parts = path.split(".")
    if parts[0] == "third_powers" and len(parts) == 3:
        return f"third_powers.<partner>.{parts[2]}"
    if parts[:2] == ["small_state", "legit"] and len(parts) == 3:
        return "small_state.legit.<component>"
    return path


def load_events(path: str, events: list, names: list[str], start_year: float, turns_per_year: int) -> list:
    """The file's events as (turn, set, shift, hostile_signal, reliability_signal, imminence), sorted
    by turn (file order within a turn), typed events expanded from the vocabulary. The scenario is
    taken as valid (hedgesim validates it); only what the port cannot follow is refused."""
    types = load_event_types()
    ranges = {p: tuple(r) for t in types.values() for p, r in t["range"].items()}
    out = []
    for i, e in enumerate(events):
        turn = e["turn"] if "turn" in e else math.floor((e["at"] - start_year) * turns_per_year + 1e-9)
        if "type" in e:
            effects = types[e["type"]]["effects"]
            partner, component = e.get("partner", "<partner>"), e.get("component", "<component>")
            fill = lambda p: p.replace("<partner>", partner).replace("<component>", component)  # noqa: E731
            set_ = {fill(k): v for k, v in effects.get("set", {}).items()}
            shift = {fill(k): v for k, v in effects.get("shift", {}).items()}
            hostile = effects.get("hostile_signal")
            reliability = {partner: effects["reliability_signal"]} if "reliability_signal" in effects else {}
            imminence = effects.get("imminence")
        else:
            set_, shift = e.get("set", {}), e.get("shift", {})
            hostile, reliability, imminence = e.get("hostile_signal"), e.get("reliability_signal", {}), e.get("imminence")
        for k in list(set_) + list(shift):
            if field_pattern(k) not in ranges:
                raise SystemExit(f"{path}: events[{i}] changes {k}, which the Mesa port does not follow in events")
        # hedgesim applies set, then shift, each in path order (its tables are sorted), then the
        # signals (partners in name order), then imminence.
        out.append((int(turn),
                    [(k, float(set_[k])) for k in sorted(set_)],
                    [(k, float(shift[k]), ranges[field_pattern(k)]) for k in sorted(shift)],
                    None if hostile is None else float(hostile),
                    [(names.index(k), float(reliability[k])) for k in sorted(reliability)],
                    None if imminence is None else float(imminence)))
    out.sort(key=lambda ev: ev[0])  # stable: file order within a turn
    return out


def load_scenario(path: str) -> dict:
    """Read a hedgesim scenario file into a flat dict of parameters, every field of the schema by
    its key (`eta`, `exploitation_base`, …: the keys are unique across the tables) in the unit a turn
    uses, with the doctrine's columns and the other per-scenario constants computed once, not every
    turn. A field the schema gains is here as soon as fields.json is regenerated."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    if doc.get("format", 1) not in (1, 2):
        raise SystemExit(f"{path}: unsupported format {doc['format']}; the port reads formats 1 and 2")
    fields = FileFields(path, doc)
    meta = {**META_DEFAULTS, **doc.get("meta", {})}
    d = doc.get("decision", {})
    if d.get("rule", "hedge") != "hedge":
        raise SystemExit(f"{path}: only rule = \"hedge\" is ported to the Mesa model")
    p = {}
    for section in ("small_state", "great_power", "beliefs", "decision", "payoff", "dynamics"):
        for key, v in fields.table(section, doc.get(section, {})).items():
            if key in p:
                raise SystemExit(f"{FIELDS_FILE}: `{section}.{key}` shares its key with another table's field")
            p[key] = v
    s, b = doc.get("small_state", {}), doc.get("beliefs", {})
    written, legit_written = doc.get("doctrine", {}), s.get("legit", {})
    for table, where in ((written, "doctrine"), (legit_written, "small_state.legit")):
        for code in sorted(set(table) - set(CODES)):
            fields.refuse(f"`{where}.{code}`: {code} is not a component ({', '.join(CODES)})")
    doctrine = {code: fields.table("doctrine.<component>", written.get(code, {}), code) for code in CODES}
    legit = tuple(fields.value("small_state.legit.<component>", legit_written, code, code) for code in CODES)
    mix = [1.0 / N] * N
    if "initial_mix" in s:
        raw = [float(s["initial_mix"].get(c, 0.0)) for c in CODES]
        mix = [v / sum(raw) for v in raw]
    third_powers = [{"name": t["name"], **fields.table("third_powers.<name>", t, t["name"])}
                    for t in doc.get("third_powers", [])]
    reliabilities = [t["reliability"] for t in third_powers]
    events = load_events(path, doc.get("events", []), [t["name"] for t in third_powers],
                         float(meta["start_year"]), int(meta["turns_per_year"]))
    return dict(
        p,
        events=events,
        turns=int(meta["turns"]),
        legit=legit,
        initial_mix=tuple(mix),
        # Decisions a turn (`actions_per_year` in the unit a turn uses): below 1 the great power
        # decides only on that share of turns (§6).
        decisions_per_turn=p["actions_per_year"],
        third_powers=third_powers,
        prior_hostility=tuple(float(v) for v in b.get("prior_hostility", DEFAULT_PRIOR_HOSTILITY)),
        prior_reliability=tuple(float(v) for v in b.get("prior_reliability", DEFAULT_PRIOR_RELIABILITY)),
        # Var θ planned with = Var_Beta + horizon·fluidity².
        fluid_var=p["horizon"] * p["fluidity"] * p["fluidity"],
        # (hostile, benign) evidence of each action, from its signed signal `<action>_signal`.
        evidence=tuple((max(v, 0.0), max(-v, 0.0)) for v in (p[f"{a}_signal"] for a in ACTIONS)),
        # The doctrine's columns, each a 7-tuple: d_ret, d_depret, d_ins, …
        **{"d_" + key: tuple(doctrine[code][key] for code in CODES) for key in doctrine[CODES[0]]},
        shock_var=p["shock_sd"] * p["shock_sd"],
        autonomy_var=p["autonomy_sd"] * p["autonomy_sd"],
        regional_var=p["regional_sd"] * p["regional_sd"],
        idio_var=p["idio"] * p["idio"],
        # κ is drawn with the unweighted mean of the partners' true reliabilities (0 without any).
        mean_reliability=sum(reliabilities) / len(reliabilities) if reliabilities else 0.0,
    )


# ----------------------------------------------------------------------------------------------
# The spectrum.


def label_of(a: float, r: float, x: float, tau: float) -> tuple[str, str]:
    """Kuik's label (and a hedge's tilt) of a mix with acceptance a, rejection r and alignment x."""
    if a >= tau and r >= tau:
        return "hedging", ("balancing" if x > TILT_THRESHOLD else "bandwagoning" if x < -TILT_THRESHOLD
                           else "even")
    if r >= tau:
        return "balancing", ""
    if a >= tau:
        return "bandwagoning", ""
    return "neutral", ""


def project_with_floor(w: list[float], floor: float) -> list[float]:
    """Back onto the simplex with every weight >= floor: floored weights sit exactly at the floor
    and the others are rescaled to fill the rest, pinning until none falls below
    (hedgesim's `Mix::project_with_floor`). A non-finite weight counts as zero."""
    total = sum(w)
    if not (total < math.inf and min(w) >= 0.0):
        w = [v if 0.0 < v < math.inf else 0.0 for v in w]
        total = sum(w)
    if not (0.0 < total < math.inf):
        return [1.0 / N] * N
    free = range(N)  # indices of the weights above the floor
    free_mass, target = total, 1.0
    while True:
        # x·target/free_mass < floor, without the division.
        threshold = floor * free_mass
        above = [k for k in free if w[k] * target >= threshold]
        if len(above) == len(free):
            break
        free = above
        free_mass = sum(w[k] for k in free)
        target = 1.0 - floor * (N - len(free))
    scale = target / free_mass
    if len(free) == N:
        return [v * scale for v in w]
    out = [floor] * N
    for k in free:
        out[k] = w[k] * scale
    return out


# ----------------------------------------------------------------------------------------------
# Agents.


class ThirdPower(mesa.Agent):
    """An outside partner whose support the small state leans on and whose reliability it learns."""

    def __init__(self, model, name, prior, **fields):
        """`fields`: the schema's `third_powers.<name>.*`, each an attribute by its key (cap,
        reliability, affinity, exclusivity, rivalry, support)."""
        super().__init__(model)
        self.name = name
        self.__dict__.update(fields)
        self.prior_a, self.prior_b = prior
        self.belief_a, self.belief_b = prior

    def belief_mean(self) -> float:
        return self.belief_a / (self.belief_a + self.belief_b)

    def belief_var(self) -> float:
        n = self.belief_a + self.belief_b
        return self.belief_a * self.belief_b / (n * n * (n + 1.0))

    def learn(self, delivered: bool) -> None:
        """This partner was tested: a delivery adds 1 to a, a failure 1 to b."""
        if delivered:
            self.belief_a += 1.0
        else:
            self.belief_b += 1.0

    def forget(self, delta: float) -> None:
        """One turn of forgetting toward the prior (only called with δ_r < 1, as hedgesim)."""
        self.belief_a = self.prior_a + delta * (self.belief_a - self.prior_a)
        self.belief_b = self.prior_b + delta * (self.belief_b - self.prior_b)

    def test_probability(self, rate: float) -> float:
        """Chance of a test outside coercion this turn, 1 − exp(−rate·s)."""
        return -math.expm1(-rate * self.support)

    def update_support(self, rejection: float, acceptance: float, rate: float) -> None:
        target = min(max(self.affinity + rejection - self.exclusivity * acceptance, 0.0), 1.0)
        self.support += rate * (target - self.support)


class GreatPower(mesa.Agent):
    """Watches the small state's mix and answers by logit choice over four actions (§6)."""

    def __init__(self, model, hostility, focus, beta, decisions_per_turn=1.0):
        super().__init__(model)
        self.hostility = hostility
        self.focus = focus
        self.beta = beta
        self.decisions_per_turn = decisions_per_turn

    def choose(self, w, a: float, r: float, x: float, dep: float, mil: float, t_cap: float,
               draw: float) -> int | None:
        """The action, or None on a turn without a decision: with d decisions a turn below 1, it
        decides when the draw is below d and picks by draw / d (the same single draw)."""
        d = self.decisions_per_turn
        if d < 1.0:
            if draw >= d:
                return None
            draw /= d
        x_pos = max(x, 0.0)
        u = [0.6 * (a + 0.5 * w[EP]) - 0.3, 0.0,
             self.hostility * (1.5 * x_pos + 0.5 * r) - 0.3 * (1.0 - dep) - 0.1,
             self.hostility * (3.0 * w[PB] + x_pos) - (1.0 + mil + t_cap) / self.focus
             if self.focus > 0.0 else -math.inf]
        u_max = max(u)
        beta = self.beta
        p = [math.exp(beta * (uk - u_max)) if uk > -math.inf else 0.0 for uk in u]
        total = sum(p)
        if not total > 0.0:
            return HOLD
        acc = 0.0
        for k in range(4):
            acc += p[k] / total
            if draw < acc:
                return k
        return max(k for k in range(4) if p[k] > 0.0)  # rounding left the draw above the last sum


class SmallState(mesa.Agent):
    """The hedger: prices each component of Kuik's spectrum and moves its mix (§4–§5)."""

    def __init__(self, model, p: dict):
        super().__init__(model)
        self.cap = p["cap"]
        self.mil = p["mil"]
        self.dep = p["dep"]
        self.dep0 = p["dep"]
        self.gamma = p["gamma"]
        self.stakes = p["stakes"]
        self.eta = p["eta"]
        self.imminence = p["imminence"]
        self.legit = list(p["legit"])
        self.mix = list(p["initial_mix"])

    def decide(self, p: dict, mu, h, q, e, var_theta: float, var_kappa: float, pressure: float,
               c=None, var_c: float = 0.0) -> None:
        """Under side-taking pressure, take the mirror if it is worth more; then exponentiated-
        gradient ("Hedge") steps of U(w) = μ·w − (γ/2)·wᵀΣw − 4·π·A·R, each with the floor projection.
        Σ = hhᵀVarθ + ppᵀVar c + qqᵀVarκ + eeᵀsd_z² + aaᵀsd_a² + ggᵀsd_g² + idio²·I is never built:
        Σw comes from six dot products (three while the coercion, autonomy and regional factors are
        off: v1). The autonomy factor's loadings are the doctrine's AUT column and its variance
        autonomy_sd²; the regional factor's the REG column and regional_sd²."""
        if c is None or var_c == 0.0:
            c, var_c = (0.0,) * N, 0.0
        aut, var_a = p["d_aut"], p["autonomy_var"]
        reg, var_g = p["d_reg"], p["regional_var"]
        w = self.mix
        gamma, var_z, var_idio = self.gamma, p["shock_var"], p["idio_var"]
        if pressure > 0.0 and p["side_choice"]:
            # U(mirror) − U(w): the side-taking and idiosyncratic terms are the same for both.
            m = w[::-1]
            hw, hm, qw, qm, ew, em = dot(h, w), dot(h, m), dot(q, w), dot(q, m), dot(e, w), dot(e, m)
            risk = var_theta * (hm * hm - hw * hw) + var_kappa * (qm * qm - qw * qw) + var_z * (em * em - ew * ew)
            if var_c != 0.0:
                cw, cm = dot(c, w), dot(c, m)
                risk += var_c * (cm * cm - cw * cw)
            if var_a != 0.0:
                aw, am = dot(aut, w), dot(aut, m)
                risk += var_a * (am * am - aw * aw)
            if var_g != 0.0:
                gw, gm = dot(reg, w), dot(reg, m)
                risk += var_g * (gm * gm - gw * gw)
            if dot(mu, m) - dot(mu, w) - 0.5 * gamma * risk > 0.0:
                w = m
        eta, floor, four_pi = self.eta, p["floor"], 4.0 * pressure
        for _ in range(p["inner_steps"]):
            hw = dot(h, w) * var_theta
            qw = dot(q, w) * var_kappa
            ew = dot(e, w) * var_z
            cw = dot(c, w) * var_c if var_c != 0.0 else 0.0
            aw = dot(aut, w) * var_a if var_a != 0.0 else 0.0
            gw = dot(reg, w) * var_g if var_g != 0.0 else 0.0
            push_a = four_pi * (w[4] + w[5] + w[6])  # ∂(4πA·R)/∂w_k on the rejection side
            push_r = four_pi * (w[0] + w[1] + w[2])  # … and on the acceptance side
            side = (push_a, push_a, push_a, 0.0, push_r, push_r, push_r)
            g = [mk - gamma * (hk * hw + qk * qw + ek * ew + ck * cw + ak * aw + rk * gw + var_idio * wk) - sk
                 for mk, hk, qk, ek, ck, ak, rk, wk, sk in zip(mu, h, q, e, c, aut, reg, w, side)]
            g_max = max(g)
            w = project_with_floor([wk * math.exp(eta * (gk - g_max)) for wk, gk in zip(w, g)], floor)
        self.mix = w

    def update_military(self, p: dict, t_cap: float) -> None:
        w = self.mix
        build = w[IB] + 0.5 * w[PB] + 0.3 * t_cap
        self.mil = min(max(self.mil + p["military_rate"] * build - p["military_decay"] * self.mil, 0.0), 1.0)

    def update_dependence(self, p: dict, a: float) -> None:
        w = self.mix
        pol = p["dependence_policy"]
        target = min(max(self.dep0 + pol * (w[EP] + a) - pol * (w[DD] + w[PB]) - p["dependence_offset"], 0.0), 1.0)
        self.dep += p["dependence_rate"] * (target - self.dep)


# ----------------------------------------------------------------------------------------------
# The model.


class HedgingModel(mesa.Model):
    """One small state, one great power and its third powers; `step()` is one turn (§7b).

    `collect=True` builds hedgesim's per-turn record every turn and hands it to the DataCollector;
    `collect=False` keeps only the per-run summary (`summary()`)."""

    def __init__(self, scenario: dict | str, seed: int | None = None, collect: bool = True, forced=None):
        super().__init__(seed=seed)
        p = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.p = p
        self.turns = p["turns"]
        self.turn = 0
        # Replay hook for validate.py: a list of (action index, that turn's recorded
        # reliability_mean) per turn replaces the great power's draw. A test's outcome is read back
        # from the belief the next turn records, after that turn's events (one partner only): the
        # test is held pending until then (`_resolve_pending`). None in ordinary runs.
        self.forced = forced
        self.pending = []

        self.state = SmallState(self, p)
        self.great_power = GreatPower(self, p["hostility"], p["focus"], p["beta"], p["decisions_per_turn"])
        for t in p["third_powers"]:
            ThirdPower(self, prior=p["prior_reliability"], **t)
        # The partners in file order (agents_by_type keeps creation order); no agent is added or
        # removed during a run.
        self.partners = self.agents_by_type[ThirdPower] if p["third_powers"] else mesa.AgentSet([], random=self.random)
        self.prior_a, self.prior_b = p["prior_hostility"]
        self.belief_a, self.belief_b = self.prior_a, self.prior_b
        # What events may change, kept on the model (the scenario dict is shared by a batch's runs).
        self.rivalry = p["rivalry"]
        self.mean_reliability = p["mean_reliability"]
        self.next_event = 0
        # The propensity to punish (§3): discounted punishment seen and exposure E[θ]·focus.
        self.punish_seen = self.punish_exposure = 0.0

        # The run's summary, what hedgesim's runs.csv holds: label counts, sums of H, x and the
        # realised payoff over turns, and action counts.
        self.label_counts = dict.fromkeys(LABELS, 0)
        self.action_counts = [0, 0, 0, 0]
        self.sum_h = self.sum_x = self.sum_payoff = 0.0
        self.last = None  # (a, r, x, h, label, tilt) of the last turn

        self.collect = collect
        if collect:
            reporters = {c: c for c in RECORD_COLUMNS}
            for i, c in enumerate(CODES):
                reporters["w_" + c] = (lambda i: lambda m: m.state.mix[i])(i)
            reporters["mil"] = lambda m: m.state.mil
            reporters["dep"] = lambda m: m.state.dep
            for t in self.partners:
                reporters["s_" + t.name] = (lambda t: lambda m: t.support)(t)
            self.datacollector = mesa.DataCollector(model_reporters=reporters)

    # Beliefs about the great power's hostility (§3).
    def hostility_mean(self) -> float:
        return self.belief_a / (self.belief_a + self.belief_b)

    def hostility_var(self) -> float:
        n = self.belief_a + self.belief_b
        return self.belief_a * self.belief_b / (n * n * (n + 1.0))

    # Events (docs/model.md §8).
    def field(self, path: str):
        """The object and attribute (or list and index) that a field path names."""
        parts = path.split(".")
        if parts[0] == "third_powers":
            return next(t for t in self.partners if t.name == parts[1]), parts[2]
        if parts[:2] == ["small_state", "legit"]:
            return self.state.legit, CODES.index(parts[2])
        owner = {"small_state": self.state, "great_power": self.great_power, "decision": self}[parts[0]]
        return owner, {"hostility": "hostility", "focus": "focus", "rivalry": "rivalry"}.get(parts[1], parts[1])

    def set_field(self, path: str, value: float) -> None:
        owner, key = self.field(path)
        if isinstance(key, int):
            owner[key] = value
        else:
            setattr(owner, key, value)
        if path.startswith("third_powers.") and path.endswith(".reliability"):
            self.mean_reliability = sum(t.reliability for t in self.partners) / len(self.partners)

    def get_field(self, path: str) -> float:
        owner, key = self.field(path)
        return owner[key] if isinstance(key, int) else getattr(owner, key)

    def apply_event(self, event) -> None:
        _, set_, shift, hostile, reliability, imminence = event
        for path, v in set_:
            self.set_field(path, v)
        for path, v, (lo, hi) in shift:
            self.set_field(path, min(max(self.get_field(path) + v, lo), hi))
        if hostile is not None:
            if hostile > 0.0:
                self.belief_a += hostile
            else:
                self.belief_b -= hostile
        partners = list(self.partners)
        for i, v in reliability:
            if v > 0.0:
                partners[i].belief_a += v
            else:
                partners[i].belief_b -= v
        if imminence is not None:
            self.state.imminence = imminence

    def step(self):
        p = self.p
        s, g, partners = self.state, self.great_power, self.partners
        rng = self.rng
        # 1. Events dated this turn, in file order (hedgesim's `Event::apply`).
        events = p["events"]
        while self.next_event < len(events) and events[self.next_event][0] <= self.turn:
            self.apply_event(events[self.next_event])
            self.next_event += 1
        if self.pending:
            self._resolve_pending()

        # 2. The small state reads its beliefs, prices each component and adjusts its mix.
        t_cap = rel_mean = rel_var = exclusive = t_rival = 0.0
        for t in partners:
            engaged = t.cap * t.support
            t_cap += engaged
            t_rival += t.rivalry * engaged
            rel_mean += engaged * t.belief_mean()
            rel_var += engaged * t.belief_var()
            exclusive += t.exclusivity * t.support
        if t_cap > 0.0:
            rel_mean, rel_var = rel_mean / t_cap, rel_var / t_cap
        else:
            rel_mean, rel_var = 0.5, 0.0
        # φ: the great power's attention scales the hostile world (a_h) instead of its reach in V
        # (a_V = focus at φ = 0).
        phi = p["attention_scale"]
        reach, weight_h = (1.0 - phi) * g.focus + phi, (1.0 - phi) + phi * g.focus
        v = min(max(reach * (1.0 - s.cap) - s.mil - t_cap * rel_mean, 0.0), 1.0)
        theta_mean = self.hostility_mean()
        belief_var = self.hostility_var()
        imminence_seen, dep = s.imminence, s.dep
        plan_var = (belief_var + p["fluid_var"]) * (1.0 - p["imminence_certainty"] * imminence_seen)
        # The factor payoff model of §4.
        # ς: with ξ > 0 the great power answers the mix's net provocation n = Σ w_k·PROV_k (of the
        # mix before the decision), and while n < 0 every PROV counts × (1 − ξ); folded into σ.
        scale = 1.0
        if p["provocation_offset"] != 0.0 and sum(wk * pk for wk, pk in zip(s.mix, p["d_prov"])) < 0.0:
            scale = 1.0 - p["provocation_offset"]
        sigma = (1.0 + p["imminence_stakes"] * imminence_seen + p["rivalry_stakes"] * self.rivalry) * scale
        # X: with ν > 0 only the exploitation the state could have resisted, 1 − V.
        nu = p["exploitation_resistance"]
        exposure = (p["exploitation_base"] + p["exploitation_dependence"] * dep) * ((1.0 - nu) + nu * (1.0 - v))
        stakes, v_sigma = s.stakes, v * sigma
        rival_exposure = p["partner_rivalry"] * t_rival
        base = [rk + dk * dep for rk, dk in zip(p["d_ret"], p["d_depret"])]
        # v2 weights: ω (insurance covered by own strength), ρ (protection on θ), λ (benign returns
        # lost when hostile), χ (provocation on the coercion factor c with believed chance π_c).
        omega, rho = p["insurance_coverage"], p["protection_in_hostility"]
        lam, chi = p["hostile_loss"], p["coercion_channel"]
        coverage = (1.0 - omega) + omega * (s.cap + s.mil)
        # Provocation P_k = PROV_k·V·σ + ζ·PROT_k·T_rival.
        prov = [pk * v_sigma + rival_exposure * rk for pk, rk in zip(p["d_prov"], p["d_prot"])]
        h = [(stakes * (ik * coverage - (1.0 - chi) * pk - xk * exposure + rho * rk * t_cap * rel_mean)
              - lam * bk) * weight_h
             for ik, pk, xk, rk, bk in zip(p["d_ins"], prov, p["d_expl"], p["d_prot"], base)]
        # p_k = −χ·(stakes·P_k + ψ·D): with ψ > 0 the factor also carries a coercion's own damage
        # D = max(0, 1 − mil − T), common to every component (§4), summed in the core's order.
        common = -chi * p["coercion_damage"] * max(0.0, 1.0 - s.mil - t_cap)
        c = [-chi * stakes * pk + common for pk in prov]
        k0 = p["coercion_rate"]
        weight = p["punishment_prior_weight"] + self.punish_exposure
        propensity = ((k0 * p["punishment_prior_weight"] + self.punish_seen) / weight
                      if p["punishment_learning"] and weight > 0.0 else k0)
        pi_c = (min(1.0, propensity * theta_mean * g.focus * (1.0 - imminence_seen) + imminence_seen)
                if chi > 0.0 else 0.0)
        q = [pk * t_cap * ((1.0 - rho) + rho * stakes * theta_mean) for pk in p["d_prot"]]
        # e_k = SHOCK_k·dep + DIV_k·(1 − dep): diversification's offset shrinks with dependence (§4).
        e = [sk * dep + dk * (1.0 - dep) for sk, dk in zip(p["d_shock"], p["d_div"])]
        mu = [bk + hk * theta_mean + (1.0 - rho) * qk * rel_mean + ck * pi_c + lk
              for bk, hk, qk, ck, lk in zip(base, h, q, c, s.legit)]
        pressure = p["imminence_weight"] * imminence_seen + self.rivalry + exclusive
        s.decide(p, mu, h, q, e, plan_var, rel_var, pressure, c, pi_c * (1.0 - pi_c))
        w = s.mix
        a, r = w[4] + w[5] + w[6], w[0] + w[1] + w[2]
        x = dot(w, POSITION) / 3.0

        # 3. The great power answers by logit choice. 4. Nature draws κ, z and ε.
        u_action, u_kappa = rng.random(2).tolist()
        z, *eps = rng.standard_normal(1 + N).tolist()
        if self.forced is None:
            decision = g.choose(w, a, r, x, dep, s.mil, t_cap, u_action)
        else:
            decision = self.forced[self.turn][0]
        # A turn without a decision is a hold that gives no evidence (docs/model.md, "Time scale").
        action = HOLD if decision is None else decision
        kappa = 1.0 if u_kappa < self.mean_reliability else 0.0
        z *= p["shock_sd"]
        theta, idio = g.hostility, p["idio"]
        kappa_c = kappa - rho * rel_mean  # κ about ρ·E[κ] (§4), κ itself in v1
        realised = sum(wk * (bk + hk * theta + qk * kappa_c + ek * z + idio * ek_)
                       for wk, bk, hk, qk, ek, ek_ in zip(w, base, h, q, e, eps))
        # The punishment factor's realisation c (coercion 1, pressure `pressure_share`) takes the
        # share χ of the action's fixed effect and pays c·Σ w_k·p_k (§4).
        punishment = 1.0 if action == COERCE else p["pressure_share"] if action == PRESSURE else 0.0
        effect = (0.3 * a if action == REWARD else -(0.4 * dep + 0.2) if action == PRESSURE
                  else -max(0.0, 1.0 - s.mil - t_cap) if action == COERCE else 0.0)
        if punishment > 0.0:
            realised += (1.0 - chi) * effect + punishment * dot(w, c)
        else:
            realised += effect

        # 5. Reliability beliefs forget (δ_r < 1 only). Coercion tests every partner that offered
        # support, in file order; otherwise partners are tested by chance at partner_test_rate.
        if p["reliability_forgetting"] != 1.0:
            for t in partners:
                t.forget(p["reliability_forgetting"])
        if action == COERCE:
            for t in partners:
                if t.support > TESTED_SUPPORT:
                    if self.forced is None:
                        t.learn(rng.random() < t.reliability)
                    else:
                        self.pending.append((t, False))
            s.imminence = 1.0
        elif p["partner_test_rate"] > 0.0:
            for t in partners:
                tested, u = t.test_probability(p["partner_test_rate"]), rng.random()
                if self.forced is None:
                    if u < tested:
                        t.learn(u < tested * t.reliability)
                else:
                    self.pending.append((t, True))

        # 6. The hostility belief learns from the action (with forgetting); imminence fades.
        hostile, benign = (0.0, 0.0) if decision is None else p["evidence"][decision]
        delta = p["forgetting"]
        self.belief_a = self.prior_a + delta * (self.belief_a - self.prior_a) + hostile
        self.belief_b = self.prior_b + delta * (self.belief_b - self.prior_b) + benign
        if p["punishment_learning"] and decision is not None:
            delta_c = p["punishment_memory"]
            self.punish_seen = delta_c * self.punish_seen + punishment
            exposure = theta_mean * g.focus
            if p["punishment_per_reason"]:
                # Per unit of the reason given: G(w) = Σ w_k·max(PROV_k, 0) / max PROV (1 when
                # nothing provokes).
                most = max(0.0, *p["d_prov"])
                if most > 0.0:
                    exposure *= sum(wk * max(pk, 0.0) for wk, pk in zip(w, p["d_prov"])) / most
            self.punish_exposure = delta_c * self.punish_exposure + exposure
        s.imminence *= p["imminence_decay"]

        # 7. Partners adjust support; military (this turn's T) and dependence drift.
        partners.do("update_support", r, a, p["support_rate"])
        s.update_military(p, t_cap)
        s.update_dependence(p, a)

        # The run's summary.
        hedging = 2.0 * min(a, r)
        label, tilt = label_of(a, r, x, p["label_threshold"])
        self.label_counts[label] += 1
        self.action_counts[action] += 1
        self.sum_h += hedging
        self.sum_x += x
        self.sum_payoff += realised
        self.last = (a, r, x, hedging, label, tilt)

        if self.collect:
            # hedgesim's per-turn record, read by the DataCollector's reporters.
            self.A, self.R, self.x, self.H, self.label, self.tilt = self.last
            self.g_action = ACTIONS[action]
            self.belief_mean, self.belief_var, self.plan_var = theta_mean, belief_var, plan_var
            self.reliability_mean, self.imm, self.V, self.pi = rel_mean, imminence_seen, v, pressure
            self.payoff = realised
            self.datacollector.collect(self)
        self.turn += 1
        if self.turn >= self.turns:
            self.running = False

    def _resolve_pending(self) -> None:
        """Under replay, give last turn's tests the outcomes that make each partner's belief mean
        equal this turn's recorded reliability_mean: delivered, failed or, where a test was only
        possible, none. Event signals add to the same counts, so applying the outcome after this
        turn's events gives the same belief. A test on the last turn affects nothing recorded."""
        recorded = self.forced[self.turn][1]
        for t, may_be_untested in self.pending:
            n = t.belief_a + t.belief_b
            candidates = {True: (t.belief_a + 1.0) / (n + 1.0), False: t.belief_a / (n + 1.0)}
            if may_be_untested:
                candidates[None] = t.belief_a / n
            outcome = min(candidates, key=lambda k: abs(candidates[k] - recorded))
            if outcome is not None:
                t.learn(outcome)
        self.pending = []

    def summary(self) -> dict:
        """The run's row of hedgesim's runs.csv (final-turn fields, label shares, means, counts)."""
        a, r, x, hedging, label, tilt = self.last
        n = self.turn
        row = {"w_" + c: wk for c, wk in zip(CODES, self.state.mix)}
        row.update(A=a, R=r, x=x, H=hedging, label=label, tilt=tilt)
        row.update({"share_" + lab: k / n for lab, k in self.label_counts.items()})
        row.update(mean_H=self.sum_h / n, mean_x=self.sum_x / n, mean_payoff=self.sum_payoff / n)
        row.update({"n_" + act: k for act, k in zip(ACTIONS, self.action_counts)})
        row.update(mil=self.state.mil, dep=self.state.dep)
        return row


# ----------------------------------------------------------------------------------------------
# Batches.


def _final_run(scenario: dict, seed: int) -> dict:
    model = HedgingModel(scenario, seed=seed, collect=False)
    model.run_model()
    return {"seed": seed, **model.summary()}


def run_batch(scenario: dict, seeds, processes: int = 1, collect: bool = True) -> list[dict]:
    """One run per seed. With `collect`, `mesa.batch_run` (per-turn DataCollector; the rows are the
    last turn's collected record). Without, `Model.run_model` per seed and the run's summary, in a
    `multiprocessing.Pool` of `processes` like batch_run's (spawned, one run per task)."""
    if collect:
        rows = mesa.batch_run(HedgingModel, parameters={"scenario": [scenario], "seed": seeds},
                              iterations=1, max_steps=scenario["turns"], number_processes=processes,
                              data_collection_period=-1, display_progress=False)
        for row in rows:
            del row["scenario"]
        return rows
    task = partial(_final_run, scenario)
    if processes == 1:
        return [task(seed) for seed in seeds]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return list(pool.imap_unordered(task, seeds))


# ----------------------------------------------------------------------------------------------
# Command line.


def run_one(args) -> None:
    model = HedgingModel(args.scenario, seed=args.seed, collect=True)
    model.run_model()
    model.datacollector.get_model_vars_dataframe().to_csv(sys.stdout, index=False)


def batch(args) -> None:
    """N runs × `turns` turns, seeds first_seed … first_seed+N−1; prints the wall time of the whole
    batch (model construction, stepping, data collection, collation)."""
    scenario = load_scenario(args.scenario)
    seeds = range(args.first_seed, args.first_seed + args.runs)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    rows = run_batch(scenario, seeds, args.processes, collect=args.collect)
    elapsed = time.perf_counter() - t0
    if args.profile:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    turns = args.runs * scenario["turns"]
    if args.out:
        with open(args.out, "w", newline="") as f:
            out = csv.DictWriter(f, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    print(f"mesa runs={args.runs} turns={turns} processes={args.processes} collect={int(args.collect)} "
          f"wall_s={elapsed:.3f} turns_per_s={turns / elapsed:.1f} us_per_turn={1e6 * elapsed / turns:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="one run, per-turn CSV on stdout")
    r.add_argument("scenario")
    r.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("batch", help="N runs, timed")
    b.add_argument("scenario")
    b.add_argument("--runs", type=int, default=1000)
    b.add_argument("--first-seed", type=int, default=0)
    b.add_argument("--processes", type=int, default=1, help="worker processes (1 = serial)")
    b.add_argument("--no-collect", dest="collect", action="store_false",
                   help="no per-turn record or DataCollector: only each run's summary")
    b.add_argument("--profile", action="store_true", help="cProfile the batch, top functions on stderr")
    b.add_argument("--out", help="write the runs' rows to this CSV")
    args = ap.parse_args()
    run_one(args) if args.cmd == "run" else batch(args)


if __name__ == "__main__":
    main()
