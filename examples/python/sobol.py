"""A two-parameter Sobol analysis of the teaching dyad with SALib, through hedgesim.run_many.

    python examples/python/sobol.py [N]

N is SALib's base sample size (default 256: 256 × 6 = 1,536 configurations, a second or two).
Prints the first-order and total Sobol indices of mean hedging intensity and mean alignment.
"""

import sys

import pandas as pd
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample

import hedgesim

n = int(sys.argv[1]) if len(sys.argv) > 1 else 256

# %% The problem: the great power's hostility and the small state's risk aversion, over their ranges.
problem = {
    "num_vars": 2,
    "names": ["great_power.hostility", "small_state.gamma"],
    "bounds": [[0.0, 1.0], [1.0, 12.0]],
}
X = sobol_sample.sample(problem, n, seed=1)

# %% SALib's sample matrix in as it is; one run per row, summarised over turns 40 to 79.
sc = hedgesim.Scenario.bundled("teaching-dyad")
runs = hedgesim.run_many(sc, X, 1, names=problem["names"], metrics_from_turn=40)

# %% The indices, one table per output.
for output in ["mean_H", "mean_x"]:
    Si = sobol.analyze(problem, runs[output].to_numpy(), seed=1)
    table = pd.DataFrame({"S1": Si["S1"], "S1_conf": Si["S1_conf"], "ST": Si["ST"], "ST_conf": Si["ST_conf"]},
                         index=problem["names"])
    print(f"{output} over {len(runs)} runs:")
    print(table.round(3).to_string())
