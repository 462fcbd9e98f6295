"""The Azerbaijan case's period table in pandas: what the state's mix was, period by period.

    python examples/python/azerbaijan_periods.py [SEEDS]

Plays scenarios/azerbaijan-russia.toml (bundled) for master seeds 0 to SEEDS−1 (default 200), as
`cargo run --release --example case_periods -- scenarios/azerbaijan-russia.toml 200
2003,2008.6,2014,2020.7,2022.1,2024` does for docs/cases.md, and prints per period the median over
seeds of each run's mean mix, x and H, and the share of run-turns in each label.
"""

import sys

import pandas as pd

import hedgesim

seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
bounds = [2003, 2008.6, 2014, 2020.7, 2022.1, 2024]

# %% Every turn of every seed, one DataFrame.
sc = hedgesim.Scenario.bundled("azerbaijan-russia")
turns = pd.concat([hedgesim.run(sc, seed=s) for s in range(seeds)], ignore_index=True)
turns["period"] = pd.cut(turns["year"], bounds, right=False)
turns = turns.dropna(subset=["period"])

# %% Per run and period, the mean mix, x and H; then the median over runs.
weights = ["w_PB", "w_IB", "w_DD", "w_EP", "w_BE", "w_LB", "w_PW"]
per_run = turns.groupby(["period", "seed"], observed=True)[weights + ["x", "H"]].mean()
medians = per_run.groupby("period", observed=True).median()

# %% The share of run-turns in each label.
labels = pd.crosstab(turns["period"], turns["label"], normalize="index")
table = medians.join(labels).rename(columns=lambda c: c.removeprefix("w_"))
print(table.round(2).to_string())
