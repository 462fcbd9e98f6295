"""Scenarios, settings, errors, threads and interrupts of the Python API."""

import os
import signal
import sys
import threading

import numpy as np
import pandas as pd
import pytest

import hedgesim
from hedgesim import InputError, Scenario

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

DYAD = "scenarios/teaching-dyad.toml"


def numbers(df):
    """The columns that describe the run, not the file: without the scenario's hash."""
    return df.drop(columns=["scenario_sha256"])


# --- scenarios -------------------------------------------------------------------------------


def test_a_scenario_from_text_or_a_dict_runs_as_its_file(root):
    path = root / DYAD
    text = path.read_text(encoding="utf-8")
    from_file = hedgesim.run(Scenario.from_file(path), seed=4)
    from_text = Scenario.from_toml(text)
    assert from_text.sha256 == Scenario.from_file(path).sha256
    pd.testing.assert_frame_equal(hedgesim.run(from_text, seed=4), from_file)
    if tomllib is not None:
        from_dict = Scenario.from_dict(tomllib.loads(text))
        pd.testing.assert_frame_equal(numbers(hedgesim.run(from_dict, seed=4)), numbers(from_file))
        assert from_dict.name == from_text.name and from_dict.third_powers == ["Ally"]


def test_get_and_set_go_through_the_schema(root):
    sc = Scenario.from_file(root / DYAD)
    assert sc.get("small_state.cap") == 0.1
    assert sc.get("decision.inner_steps") == 3 and isinstance(sc.get("decision.inner_steps"), int)
    assert sc.get("third_powers.Ally.cap") == Scenario.from_file(root / DYAD).get("third_powers.Ally.cap")
    copy = sc.copy()
    sc.set("small_state.cap", 0.35).set("great_power.hostility", 0.9).set("small_state.cap", 0.4)
    assert sc.get("small_state.cap") == 0.4 and copy.get("small_state.cap") == 0.1
    assert sc.settings == {"small_state.cap": 0.4, "great_power.hostility": 0.9}
    # Setting dependence sets the level it drifts around, as a file and a sweep axis do.
    sc.set("small_state.dep", 0.8)
    assert sc.get("small_state.dep0") == 0.8
    # to_toml writes the settings into the file: it reads back to the same runs.
    again = Scenario.from_toml(sc.to_toml())
    assert again.get("small_state.cap") == 0.4 and again.settings == {}
    ours = hedgesim.run(sc, seed=2)
    theirs = hedgesim.run(again, seed=2)
    cols = [c for c in ours.columns if c not in ("scenario_sha256", *sc.settings)]
    pd.testing.assert_frame_equal(ours[cols], theirs[cols])
    assert Scenario.from_file(root / DYAD).to_toml() == (root / DYAD).read_text(encoding="utf-8")


def test_the_bundled_scenarios_are_listed_and_a_wrong_name_is_refused():
    names = hedgesim.bundled()
    assert "teaching-dyad" in names and "azerbaijan-russia" in names and len(names) == 8
    with pytest.raises(ValueError, match="no bundled scenario named `teaching-dyd`"):
        Scenario.bundled("teaching-dyd")


# --- errors ----------------------------------------------------------------------------------


def error_of(f, *args, **kwargs):
    with pytest.raises(InputError) as info:
        f(*args, **kwargs)
    return info.value


def test_file_errors_name_the_file_line_column_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[meta]\nname = "x"\n\n[small_state]\ncap = 1.5\n')
    e = error_of(Scenario.from_file, bad)
    assert (e.file, e.line, e.column, e.field) == (str(bad), 5, 7, "small_state.cap")
    assert e.message == "must be between 0 and 1, got 1.5"
    assert str(e) == f"{bad}:5:7: small_state.cap: must be between 0 and 1, got 1.5"

    e = error_of(Scenario.from_toml, '[meta]\nname = "x"\n[small_state]\ncapp = 0.2\n', "typo.toml")
    assert (e.file, e.line, e.field) == ("typo.toml", 4, "small_state.capp")
    assert "unknown field `capp`" in e.message and "cap" in e.message

    e = error_of(Scenario.from_toml, "[meta\nname = 1\n", "syntax.toml")
    assert e.file == "syntax.toml" and e.line == 1 and e.column > 0

    e = error_of(Scenario.from_file, tmp_path / "missing.toml")
    assert (e.line, e.column, e.field) == (0, 0, "")
    assert e.message.startswith("cannot read the scenario file: it does not exist")

    e = error_of(Scenario.from_dict, {"meta": {"name": "x", "turns": 0}})
    assert (e.file, e.field) == ("<dict>", "meta.turns")
    assert e.message == "must be a whole number from 1 to 100000, got 0"
    with pytest.raises(TypeError, match="meta.name"):
        Scenario.from_dict({"meta": {"name": object()}})


def test_setter_errors_are_the_schemas(root):
    sc = Scenario.from_file(root / DYAD)
    e = error_of(sc.set, "small_state.cap", 1.5)
    assert (e.field, e.message, e.line) == ("small_state.cap", "must be between 0 and 1, got 1.5", 0)
    assert str(e) == "small_state.cap: must be between 0 and 1, got 1.5"
    e = error_of(sc.set, "decision.inner_steps", 2.5)
    assert e.message.startswith("must be a whole number")
    e = error_of(sc.get, "third_powers.Nobody.cap")
    assert "names third power `Nobody`; the scenario has Ally" in e.message
    e = error_of(sc.set, "small_state.capp", 0.2)
    assert e.field == "small_state.capp" and "small_state.cap" in e.message
    assert sc.settings == {}, "a refused setting is not kept"


def test_run_many_refuses_bad_columns_and_values_before_running(root):
    sc = Scenario.from_file(root / DYAD)
    e = error_of(hedgesim.run_many, sc, pd.DataFrame({"great_power.hostlity": [0.5]}))
    assert e.field == "great_power.hostlity" and "great_power.hostility" in e.message
    e = error_of(hedgesim.run_many, sc, pd.DataFrame({"great_power.hostility": [0.5, 1.7]}))
    assert (e.field, e.message) == ("great_power.hostility", "row 1: must be between 0 and 1, got 1.7")
    e = error_of(hedgesim.run_many, sc, pd.DataFrame({"decision.inner_steps": [2.0]}))
    assert "integer parameter" in e.message
    with pytest.raises(ValueError, match="no rows"):
        hedgesim.run_many(sc, pd.DataFrame({"great_power.hostility": []}))
    with pytest.raises(TypeError, match="names="):
        hedgesim.run_many(sc, np.zeros((2, 1)))
    with pytest.raises(ValueError, match="threads must be from 1 to 256"):
        hedgesim.run_many(sc, threads=0)
    with pytest.raises(ValueError, match="metrics_from_turn 80 must be below"):
        hedgesim.run_many(sc, metrics_from_turn=80)


def test_run_and_explain_refuse_turns_outside_the_scenario(root):
    sc = Scenario.from_file(root / DYAD)
    with pytest.raises(ValueError, match="turns must be from 1 to 100000, got 0"):
        hedgesim.run(sc, turns=0)
    with pytest.raises(ValueError, match="turn 80 is past the end of .*turns 0 to 79"):
        hedgesim.explain(sc, 80)


def test_sweep_and_load_errors(root, tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('format = 1\nscenario = "nowhere.toml"\n')
    e = error_of(hedgesim.sweep, sweep, tmp_path / "out")
    assert (e.file, e.line, e.field) == (str(sweep), 2, "scenario")
    assert "cannot read the scenario" in e.message
    e = error_of(hedgesim.load, tmp_path)
    assert "not a finished sweep folder" in e.message


# --- many runs -------------------------------------------------------------------------------


def test_run_many_does_not_depend_on_the_threads(root):
    sc = Scenario.from_file(root / "scenarios/azerbaijan-russia.toml")
    rng = np.random.default_rng(3)
    params = {"great_power.hostility": rng.uniform(0, 1, 300), "small_state.gamma": rng.uniform(1, 12, 300)}
    one = hedgesim.run_many(sc, params, 7, threads=1, turns=30)
    for threads in (2, 3, None):
        pd.testing.assert_frame_equal(hedgesim.run_many(sc, params, 7, threads=threads, turns=30), one)
    assert len(one) == 2100 and one["config_id"].iloc[-1] == 299
    # The array form with names, and the settings made on the scenario, are part of every run.
    arr = np.column_stack([params["great_power.hostility"], params["small_state.gamma"]])
    pd.testing.assert_frame_equal(
        hedgesim.run_many(sc, arr, 7, names=list(params), turns=30, threads=2), one
    )
    high = sc.copy().set("small_state.cap", 0.6)
    assert not hedgesim.run_many(high, params, 7, turns=30)["mil"].equals(one["mil"])


def test_without_pandas_results_are_numpy_arrays(root, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    out = hedgesim.run(Scenario.from_file(root / DYAD), turns=12)
    assert isinstance(out, dict) and all(isinstance(v, np.ndarray) for v in out.values())
    assert list(out)[:5] == ["seed", "stream", "scenario_sha256", "turn", "year"]
    assert out["turn"].tolist() == list(range(12)) and out["w_PB"].dtype == np.float64
    assert set(out["label"]) <= {"hedging", "balancing", "bandwagoning", "neutral"}
    many = hedgesim.run_many(Scenario.from_file(root / DYAD), {"great_power.hostility": [0.1, 0.9]}, 2)
    assert many["run_id"].tolist() == [0, 1, 2, 3] and many["stream"].tolist() == [0, 1, 0, 1]


def test_ctrl_c_stops_a_long_run_many(root):
    """SIGINT during a run_many far too long to finish raises KeyboardInterrupt (Ctrl-C in a notebook)."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    sc = Scenario.from_file(root / DYAD)
    params = {"great_power.hostility": np.linspace(0.0, 1.0, 100)}
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # 10,000 runs of 100,000 turns, a billion turns: minutes of work; only the interrupt
            # ends it, between chunks of about a million turns.
            hedgesim.run_many(sc, params, 100, turns=100_000)
    finally:
        timer.cancel()
