"""The bridge to SALib: its sample matrix in as it is, the outputs its analysers take out."""

import numpy as np
import pytest

import hedgesim

sobol_sample = pytest.importorskip("SALib.sample.sobol")
sobol_analyze = pytest.importorskip("SALib.analyze.sobol")

PROBLEM = {
    "num_vars": 2,
    "names": ["great_power.hostility", "small_state.gamma"],
    "bounds": [[0.0, 1.0], [1.0, 12.0]],
}


def test_a_sobol_analysis_round_trips_through_run_many():
    X = sobol_sample.sample(PROBLEM, 64, seed=1)
    sc = hedgesim.Scenario.bundled("teaching-dyad")
    runs = hedgesim.run_many(sc, X, 1, names=PROBLEM["names"], metrics_from_turn=40)
    # One row per sample, in the sample's order, with the sample's values as its configuration.
    assert len(runs) == len(X) == 384
    assert np.array_equal(runs[PROBLEM["names"]].to_numpy(), X)
    assert runs["config_id"].tolist() == list(range(len(X)))
    Si = sobol_analyze.analyze(PROBLEM, runs["mean_H"].to_numpy(), seed=1)
    assert np.all(np.isfinite(Si["S1"])) and np.all(np.isfinite(Si["ST"]))
    # In the teaching dyad, risk aversion (gamma) drives how much the state hedges far more than
    # the great power's hostility does: Kuik's "high stakes" before "high uncertainty".
    hostility, gamma = Si["ST"]
    assert gamma > 0.5 > hostility
