"""The package gives the command line's numbers to the last bit: a run's CSV bytes, its columns as
a DataFrame, `explain`'s JSON, and a sweep's runs.csv rows from `run_many`."""

import io
import json

import numpy as np
import pandas as pd
import pytest

import hedgesim

CASES = [
    # (scenario file, seed, replication, turns, settings)
    ("scenarios/teaching-dyad.toml", None, 0, None, {}),
    ("scenarios/teaching-dyad.toml", 7, 3, 40, {"great_power.hostility": 0.7, "small_state.gamma": 4.0}),
    ("scenarios/azerbaijan-russia.toml", None, 0, None, {}),
    ("scenarios/belarus-russia.toml", 11, 1, 25, {"third_powers.EU.cap": 0.3}),
]


def cli_args(path, seed, replication, turns, settings):
    args = [path, "--replication", replication]
    if seed is not None:
        args += ["--seed", seed]
    if turns is not None:
        args += ["--turns", turns]
    for k, v in settings.items():
        args += ["--set", f"{k}={v}"]
    return args


def read_cli_csv(data):
    return pd.read_csv(io.BytesIO(data), keep_default_na=False)


def assert_same_columns(ours, theirs):
    """Every column equal, value for value (floats bit for bit: no tolerance)."""
    assert list(ours.columns) == list(theirs.columns)
    assert len(ours) == len(theirs)
    for c in ours.columns:
        a, b = ours[c].to_numpy(), theirs[c].to_numpy()
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            assert np.array_equal(a.astype(np.float64), b.astype(np.float64)), c
        else:
            assert [str(x) for x in a] == [str(x) for x in b], c


@pytest.mark.parametrize("path,seed,replication,turns,settings", CASES)
def test_run_is_the_cli_csv(cli, root, tmp_path, path, seed, replication, turns, settings):
    sc = hedgesim.Scenario.from_file(root / path)
    for k, v in settings.items():
        sc.set(k, v)
    out = tmp_path / "run.csv"
    df = hedgesim.run(sc, seed=seed, turns=turns, replication=replication, out=out)
    expected = cli("run", *cli_args(path, seed, replication, turns, settings), "--format", "csv")
    assert out.read_bytes() == expected
    assert_same_columns(df, read_cli_csv(expected))
    assert len(df) == (turns or sc.turns)


def test_a_bundled_scenario_is_its_file(cli, root):
    for name in hedgesim.bundled():
        sc = hedgesim.Scenario.bundled(name)
        assert sc.text == (root / "scenarios" / f"{name}.toml").read_text(encoding="utf-8")
        assert sc.origin == f"scenarios/{name}.toml"
    expected = cli("run", "scenarios/teaching/3-forced-choice.toml", "--format", "csv")
    assert_same_columns(hedgesim.run(hedgesim.Scenario.bundled("teaching/3-forced-choice")), read_cli_csv(expected))


@pytest.mark.parametrize("turn", [0, 17, 79])
def test_explain_is_the_cli_json(cli, turn):
    sc = hedgesim.Scenario.bundled("teaching-dyad").set("great_power.hostility", 0.65)
    ours = hedgesim.explain(sc, turn, seed=5, replication=2)
    theirs = json.loads(
        cli(
            "explain", "scenarios/teaching-dyad.toml", "--turn", turn, "--seed", 5, "--replication", 2,
            "--set", "great_power.hostility=0.65", "--format", "json",
        )
    )
    assert ours == theirs
    assert ours["turn"] == turn and ours["set"] == [{"path": "great_power.hostility", "value": 0.65}]


@pytest.mark.parametrize("independent", [False, True])
def test_run_many_rows_are_a_table_sweep_runs_csv(cli, root, tmp_path, independent):
    params = pd.DataFrame(
        {
            "great_power.hostility": [0.2, 0.45, 0.8, 0.6, 0.1],
            "small_state.gamma": [2.0, 6.0, 9.5, 1.25, 12.0],
        }
    )
    params.to_csv(tmp_path / "design.csv", index=False)
    (tmp_path / "sweep.toml").write_text(
        f'format = 1\nscenario = "{(root / "scenarios/teaching-dyad.toml").as_posix()}"\n'
        'design = "table"\ncsv = "design.csv"\nreplications = 3\nmaster_seed = 9\nmetrics_from_turn = 20\n'
    )
    flags = ["--independent-seeds", "--series"] if independent else []
    cli("sweep", tmp_path / "sweep.toml", "--out", tmp_path / "out", "--quiet", *flags)
    runs = pd.read_csv(tmp_path / "out" / "runs.csv", keep_default_na=False)
    sc = hedgesim.Scenario.from_file(root / "scenarios/teaching-dyad.toml")
    ours = hedgesim.run_many(sc, params, 3, seed=9, metrics_from_turn=20, independent_seeds=independent)
    assert_same_columns(ours, runs)
    # The same rows through hedgesim.sweep, and hedgesim.load of the CLI's folder.
    summary = hedgesim.sweep(tmp_path / "sweep.toml", tmp_path / "py", independent_seeds=independent, series=independent)
    files = ["runs.csv", "summary.csv"] + (["series.csv"] if independent else [])
    for name in files:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()
    loaded = hedgesim.load(tmp_path / "out")
    assert_same_columns(loaded["summary"], summary)
    assert_same_columns(loaded["runs"], runs)
    assert loaded["manifest"]["runs_in_shard"] == 15
    assert ("series" in loaded) == independent
    if independent:
        assert len(loaded["series"]) == 15 * 80 and loaded["series"]["turn"].max() == 79
