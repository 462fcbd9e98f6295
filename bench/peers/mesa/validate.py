"""Check that the Mesa port runs the same model as the hedgesim binary it is given.

Three checks:

1. Replay (exact). For seeds 1..K, run `hedgesim run --seed S --format csv`, take the great power's
   action and the outcome of each partner test (read back from the next turn's belief) from its
   output, and force them on the Mesa model
   (built with per-turn collection, so its DataCollector yields the same columns). Every other
   column of a turn (mix, A, R, x, H, label, tilt, beliefs, imminence, V, π, mil, dep, support) is a
   deterministic function of those, so it must agree to rounding: the check fails on any label or
   tilt mismatch or any difference above 1e-9. The realised payoff is not compared: it needs
   hedgesim's draws of κ, z and ε.
   The same replay runs on teaching-dyad-events.toml, the teaching dyad with one event of every type
   of the vocabulary (expanded from event_types.json) and a free-number event.
2. Fields (exact). The same replay, seeds 1..F, on small files of its own: four bases (format 1 and
   format 2, each once with every default and once with the mechanisms the defaults leave off
   switched on, format 2's at 12 turns a year) and, for each field of fields.json that a file may
   write, the base with that field alone moved off its value. A default, range or per-year
   conversion that the port reads otherwise than hedgesim, or a field that it ignores, fails the
   check wherever the field moves hedgesim's record; the fields that move nothing on any base are
   listed, since for them it proves nothing.
3. Distribution (statistical). N runs of each engine on its own random streams: hedgesim's
   `sweep` (runs.csv) against the port's runs without per-turn collection (the same per-run
   summary). Compared: label shares and mean H, x, A, R, mil, dep at the last turn, the share of
   turns spent hedging, balancing or bandwagoning, the run means of H, x and the realised payoff,
   and the great power's action counts. Differences are two-sample z scores; the check fails when
   any |z| exceeds 3.5 (with about 25 correlated rows, a correct port fails by chance about 1% of
   the time; the seeds are fixed, so a given binary and port always give the same verdict).

Exit status 0 when all pass, 1 otherwise.

Usage: python validate.py --hedgesim PATH [--runs 1000] [--replay-seeds 100] [--field-seeds 2]
                          [--processes 2] [--scenario ...] [--markdown out.md]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hedge_mesa import ACTIONS, CODES, FIELDS, HedgingModel, load_scenario, run_batch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.normpath(os.path.join(HERE, "../../../scenarios/teaching-dyad.toml"))
# The teaching dyad with one event of every type of the vocabulary: the port's events, typed ones
# expanded from event_types.json, replayed exactly against hedgesim's.
EVENTS_SCENARIO = os.path.join(HERE, "teaching-dyad-events.toml")
REPLAY_TOLERANCE = 1e-9
Z_LIMIT = 3.5


def hedgesim_run(exe: str, scenario: str, seed: int) -> list[dict]:
    done = subprocess.run([exe, "run", scenario, "--seed", str(seed), "--format", "csv"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hedgesim run {scenario} --seed {seed} failed: {done.stderr.strip()}")
    out = done.stdout
    return list(csv.DictReader(io.StringIO(out)))


def replayed_columns(partner: str) -> list[str]:
    """The numeric columns a replay compares: all but the realised payoff, which needs hedgesim's
    draws of κ, z and ε."""
    return ["w_" + c for c in CODES] + ["A", "R", "x", "H", "belief_mean", "belief_var", "plan_var",
                                       "reliability_mean", "imm", "V", "pi", "mil", "dep", "s_" + partner]


def replay(exe: str, scenario: str, seeds: list[int]) -> tuple[float, str, int, int, int]:
    """Force hedgesim's actions and test outcomes on the Mesa model. Returns the largest absolute
    difference over the numeric columns, the column where it was, the number of label or tilt
    mismatches, the turns compared and the coercions replayed."""
    p = load_scenario(scenario)
    if len(p["third_powers"]) != 1:
        raise SystemExit("the replay check infers test outcomes for exactly one third power")
    numeric = replayed_columns(p["third_powers"][0]["name"])
    def compare(rows, forced, seed):
        model = HedgingModel(p, seed=seed, collect=True, forced=forced)
        model.run_model()
        mesa_rows = model.datacollector.get_model_vars_dataframe().to_dict("records")
        worst, worst_col, mismatches = 0.0, "", 0
        for row, rec in zip(rows, mesa_rows, strict=True):
            for col in numeric:
                d = abs(float(row[col]) - float(rec[col]))
                if not d <= worst:  # also catches NaN
                    worst, worst_col = d, col
            if (row["label"], row["tilt"], row["g_action"]) != (rec["label"], rec["tilt"], rec["g_action"]):
                mismatches += 1
        return (mismatches, worst, worst_col)

    worst, worst_col, mismatches, turns, coercions = 0.0, "", 0, 0, 0
    for seed in seeds:
        rows = hedgesim_run(exe, scenario, seed)
        if len(rows) != p["turns"]:
            raise SystemExit(f"hedgesim wrote {len(rows)} turns for seed {seed}, the scenario has {p['turns']}")
        forced = []
        for t, row in enumerate(rows):
            coercions += row["g_action"] == "coerce"
            # A test's outcome shows in the belief the next turn records, after that turn's events:
            # the model picks the outcome (delivered, failed, or none) that reproduces it.
            forced.append((ACTIONS.index(row["g_action"]), float(row["reliability_mean"])))
        m, w, col = compare(rows, forced, seed)
        mismatches += m
        if not w <= worst:
            worst, worst_col = w, col
        turns += len(rows)
    return worst, worst_col, mismatches, turns, coercions


# The fields check's base files: one that writes nothing but what a replay needs (one partner), so
# every other number is a default, in format 1 and in format 2 (where every rate is converted:
# forgetting 0.6561 a year is 0.9 a turn at 4 turns a year); and one with the mechanisms that the
# defaults leave off switched on (imminence, rivalry, the v2 payoff weights, the trilemma's autonomy factor and the regional factor, punishment learning,
# forgetting and chance tests of reliability), in format 1 and in format 2 at 12 turns a year (with a
# great power that decides every turn, which a replay needs). Values in the file's unit.
MECHANISMS_ON = {
    "small_state.imminence": 0.3,
    "decision.rivalry": 0.2,
    "third_powers.<name>.rivalry": 0.5,
    "beliefs.punishment_learning": True,
    "beliefs.reliability_forgetting": 0.9,
    "dynamics.partner_test_rate": 1.0,
    "payoff.insurance_coverage": 0.5,
    "payoff.protection_in_hostility": 0.5,
    "payoff.hostile_loss": 0.3,
    "payoff.coercion_channel": 0.5,
    "payoff.imminence_certainty": 0.3,
    "payoff.pressure_share": 0.5,
    "payoff.partner_rivalry": 0.5,
    "payoff.exploitation_resistance": 0.5,
    "payoff.coercion_damage": 0.5,
    "payoff.provocation_offset": 0.5,
    "payoff.attention_scale": 0.5,
    # A great power not wholly present, so that its attention (φ above) acts.
    "great_power.focus": 0.8,
    # Kuik's trilemma (docs/model.md §4): the autonomy factor, its sd and EP's loading on it, so
    # that moving either acts.
    "payoff.autonomy_sd": 0.4,
    "doctrine.<component>.aut": -0.5,
    # The regional factor (docs/model.md §4, "Indirect balancing's own risk"): its sd and EP's
    # loading on it, likewise.
    "payoff.regional_sd": 0.3,
    "doctrine.<component>.reg": -0.4,
}
FIELD_BASES = (
    ("format 1, defaults", 1, {}),
    ("format 2, defaults", 2, {}),
    ("format 1, mechanisms on", 1, MECHANISMS_ON),
    ("format 2 monthly, mechanisms on", 2,
     {"meta.turns_per_year": 12, "meta.turns": 120, "great_power.actions_per_year": 12, **MECHANISMS_ON}),
)
# The component a family's field is moved on.
FIELD_MEMBER = "EP"
# A replay forces every turn's decision, so it cannot see how often the great power decides (and
# hedgesim refuses more decisions than turns): the distributions of a format-2 file with fewer
# decisions than turns check it (.ci/run's monthly file).
NOT_REPLAYED = ("great_power.actions_per_year",)


def moved(row: dict, fmt: int, written: dict):
    """A value in range off the field's default (or off what the base file writes), in the file's unit."""
    def default(row):
        d = written.get(row["path"], row["default"] if fmt == 1 else row["format_2"]["default"])
        if isinstance(d, dict) and "follows" in d:
            return default(FIELDS[d["follows"]])
        return d[FIELD_MEMBER] if isinstance(d, dict) else d

    d = default(row)
    if row["kind"] == "bool":
        return not d
    if row["kind"] == "integer":
        return d + 1 if d + 1 <= row["max"] else d - 1
    v = (0.2 if row["max"] >= 0.2 else row["max"] / 2) if d == 0 else d * 1.25
    return v if row["min"] <= v <= row["max"] else d * 0.8


def toml_value(v) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else repr(v)


def field_file(fmt: int, written: dict) -> str:
    """A scenario writing `written` ({path: value}, a family's member as `FIELD_MEMBER` or the
    partner `Ally`) and nothing else."""
    tables = {"meta": ['name = "fields check"']}
    for path, v in written.items():
        section, key = (part.replace("<component>", FIELD_MEMBER) for part in path.rsplit(".", 1))
        tables.setdefault(section, []).append(f"{key} = {toml_value(v)}")
    partner = tables.pop("third_powers.<name>", [])
    text = f"format = {fmt}\n\n" + "".join(f"[{t}]\n" + "\n".join(lines) + "\n\n" for t, lines in tables.items())
    return text + "[[third_powers]]\n" + "\n".join(['name = "Ally"'] + partner) + "\n"


def fields_check(exe: str, seeds: list[int], workdir: str) -> tuple[int, float, str, int, list[str], list[str]]:
    """Replay each base file and, for each field of fields.json that a file may write, the base
    with that field alone moved off its value: a default, range or conversion the port reads
    otherwise than hedgesim, or a field the port ignores, shows as a difference wherever the field
    moves hedgesim's record. Returns the files replayed, the largest difference and where, the
    mismatches, the failing files, and the fields that moved hedgesim's record (the replayed
    columns, seed 1) on no base: for those the check proves nothing."""
    worst, worst_at, mismatches, files, failing = 0.0, "", 0, 0, []
    columns = replayed_columns("Ally") + ["label", "tilt", "g_action"]
    moving = set()
    path = os.path.join(workdir, "field.toml")
    for base, fmt, written in FIELD_BASES:
        rows = [r for r in FIELDS.values()
                if r["in_file"] and (fmt == 2 or r["format_1"]) and r["path"] not in NOT_REPLAYED]
        baseline = None
        for row in [None] + rows:
            case = written if row is None else {**written, row["path"]: moved(row, fmt, written)}
            name = f"{base}, {'as written' if row is None else row['path']}"
            with open(path, "w") as f:
                f.write(field_file(fmt, case))
            w, col, m, _, _ = replay(exe, path, seeds)
            files += 1
            mismatches += m
            if m or not w <= REPLAY_TOLERANCE:
                failing.append(f"{name} ({w:.2e} in {col}, {m} mismatches)")
            if not w <= worst:
                worst, worst_at = w, f"{name}: {col}"
            record = [[r[c] for c in columns] for r in hedgesim_run(exe, path, 1)]
            if row is None:
                baseline = record
            elif record != baseline:
                moving.add(row["path"])
    inert = [r["path"] for r in FIELDS.values()
             if r["in_file"] and r["path"] not in NOT_REPLAYED and r["path"] not in moving]
    return files, worst, worst_at, mismatches, failing, inert


def hedgesim_sweep(exe: str, scenario: str, runs: int, workdir: str) -> list[dict]:
    sweep = os.path.join(workdir, "validate-sweep.toml")
    with open(sweep, "w") as f:
        f.write(f'format = 1\nscenario = "{scenario}"\nreplications = {runs}\nmaster_seed = 1\n')
    out = os.path.join(workdir, "hedgesim-out")
    subprocess.run([exe, "sweep", sweep, "--out", out, "--quiet"], check=True)
    with open(os.path.join(out, "runs.csv"), newline="") as f:
        return list(csv.DictReader(f))


def mean_se(v: list[float]) -> tuple[float, float]:
    n = len(v)
    m = sum(v) / n
    var = sum((x - m) ** 2 for x in v) / (n - 1)
    return m, math.sqrt(var / n)


def z_prop(pa: float, na: int, pb: float, nb: int) -> float:
    pool = (pa * na + pb * nb) / (na + nb)
    se = math.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
    return (pa - pb) / se if se > 0 else 0.0


def compare(hs: list[dict], ms: list[dict], last: int) -> list[tuple[str, str, str, float]]:
    """The distribution table: (quantity, hedgesim, Mesa, z)."""
    table = []

    def prop_row(name, label):
        na, nb = len(hs), len(ms)
        pa = sum(r["label"] == label for r in hs) / na
        pb = sum(r["label"] == label for r in ms) / nb
        table.append((name, f"{pa:.3f}", f"{pb:.3f}", z_prop(pa, na, pb, nb)))

    def mean_row(name, col, digits=3):
        (ma, sa), (mb, sb) = mean_se([float(r[col]) for r in hs]), mean_se([float(r[col]) for r in ms])
        se = math.hypot(sa, sb)
        table.append((name, f"{ma:.{digits}f} ± {sa:.{digits}f}", f"{mb:.{digits}f} ± {sb:.{digits}f}",
                      (ma - mb) / se if se > 0 else 0.0))

    for lab in ["hedging", "balancing", "bandwagoning", "neutral"]:
        prop_row(f"share {lab} at turn {last}", lab)
    for col in ["H", "x", "A", "R"]:
        mean_row(f"mean {col} at turn {last}", col)
    mean_row(f"mean mil at turn {last}", "mil", digits=4)
    mean_row(f"mean dep at turn {last}", "dep")
    for lab in ["hedging", "balancing", "bandwagoning"]:
        mean_row(f"share of turns {lab} (run mean)", f"share_{lab}")
    mean_row("mean H over turns (run mean)", "mean_H")
    mean_row("mean x over turns (run mean)", "mean_x")
    mean_row("mean realised payoff per turn (run mean)", "mean_payoff")
    for a in ACTIONS:
        mean_row(f"{a} actions per run", f"n_{a}", digits=2)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hedgesim", default=os.environ.get("HEDGESIM", "hedgesim"))
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO)
    ap.add_argument("--runs", type=int, default=1000, help="runs of each engine for the distributions")
    ap.add_argument("--replay-seeds", type=int, default=100, help="seeds 1..K replayed exactly")
    ap.add_argument("--field-seeds", type=int, default=2,
                    help="seeds 1..K replayed on each file of the fields check (0 skips it)")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="Mesa worker processes")
    ap.add_argument("--markdown", help="also write the distribution table here")
    args = ap.parse_args()
    scenario = os.path.abspath(args.scenario)
    last = load_scenario(scenario)["turns"] - 1
    if load_scenario(scenario)["decisions_per_turn"] < 1.0 and args.replay_seeds > 0:
        # hedgesim's CSV records a turn without a decision as `hold`, which a forced replay cannot
        # tell from a decided hold (whose evidence differs): such a file is checked by its
        # distributions only.
        raise SystemExit(f"{scenario}: the great power decides on fewer turns than it has (format 2, "
                         "actions_per_year below turns_per_year); replay cannot force that, use --replay-seeds 0")

    t0 = time.perf_counter()
    worst, worst_col, mismatches, n, nc = replay(args.hedgesim, scenario, list(range(1, args.replay_seeds + 1)))
    replay_ok = mismatches == 0 and worst <= REPLAY_TOLERANCE
    print(f"replay: {args.replay_seeds} seeds, {n} turns ({nc} coercions) forced with hedgesim's actions and "
          f"tests: max |difference| = {worst:.2e} ({worst_col or '-'}) over mix, A, R, x, H, beliefs, imm, V, "
          f"pi, mil, dep, support; label/tilt/action mismatches = {mismatches} "
          f"-> {'PASS' if replay_ok else 'FAIL'}  ({time.perf_counter() - t0:.1f} s)")

    t0 = time.perf_counter()
    worst, worst_col, mismatches, n, nc = replay(args.hedgesim, EVENTS_SCENARIO, list(range(1, args.replay_seeds + 1)))
    events_ok = mismatches == 0 and worst <= REPLAY_TOLERANCE
    replay_ok = replay_ok and events_ok
    print(f"events replay: {os.path.basename(EVENTS_SCENARIO)} (every event type and a free-number event), "
          f"{args.replay_seeds} seeds, {n} turns ({nc} coercions): max |difference| = {worst:.2e} "
          f"({worst_col or '-'}); label/tilt/action mismatches = {mismatches} "
          f"-> {'PASS' if events_ok else 'FAIL'}  ({time.perf_counter() - t0:.1f} s)")

    if args.field_seeds > 0:
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="mesa-validate-") as tmp:
            files, worst, worst_at, mismatches, failing, inert = fields_check(
                args.hedgesim, list(range(1, args.field_seeds + 1)), tmp)
        replay_ok = replay_ok and not failing
        print(f"fields: each field of fields.json moved alone off its value in {len(FIELD_BASES)} base files "
              f"(format 1 and 2, defaults and mechanisms on), {files} files × {args.field_seeds} seeds: max "
              f"|difference| = {worst:.2e} ({worst_at or '-'}); mismatches = {mismatches} "
              f"-> {'FAIL' if failing else 'PASS'}  ({time.perf_counter() - t0:.1f} s)")
        for f in failing:
            print(f"  differs: {f}")
        print(f"  moved nothing in hedgesim's record on seed 1, so not checked here: {', '.join(inert) or 'none'}; "
              f"not replayable: {', '.join(NOT_REPLAYED)}")
    else:
        print("fields: skipped (--field-seeds 0)")

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mesa-validate-") as tmp:
        hs = hedgesim_sweep(args.hedgesim, scenario, args.runs, tmp)
    p = load_scenario(scenario)
    ms = run_batch(p, range(1000, 1000 + args.runs), args.processes, collect=False)
    print(f"distributions: {len(hs)} hedgesim runs (sweep, master_seed 1), {len(ms)} Mesa runs (seeds 1000–"
          f"{999 + args.runs}) ({time.perf_counter() - t0:.1f} s)")
    table = compare(hs, ms, last)
    lines = [f"| quantity ({len(hs)} hedgesim runs, {len(ms)} Mesa runs) | hedgesim | Mesa | z |",
             "|---|---|---|---|"]
    lines += [f"| {name} | {a} | {b} | {z:+.2f} |" for name, a, b, z in table]
    text = "\n".join(lines)
    print(text)
    worst_z = max(abs(r[3]) for r in table)
    dist_ok = worst_z <= Z_LIMIT
    print(f"distributions: largest |z| = {worst_z:.2f} over {len(table)} rows (limit {Z_LIMIT}) "
          f"-> {'PASS' if dist_ok else 'FAIL'}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    print("validate.py:", "PASS" if replay_ok and dist_ok else "FAIL")
    sys.exit(0 if replay_ok and dist_ok else 1)


if __name__ == "__main__":
    main()
