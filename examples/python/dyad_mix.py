"""The teaching dyad in Python: one run as a DataFrame, its mix along Kuik's spectrum plotted.

    python examples/python/dyad_mix.py [OUT.png]

Run from anywhere with the hedgesim package installed (docs/python.md); needs pandas and
matplotlib. Writes the chart to OUT.png (default dyad-mix.png) and prints the last turns.
"""

import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt

import hedgesim

out = sys.argv[1] if len(sys.argv) > 1 else "dyad-mix.png"

# %% One run of the bundled teaching dyad: one row per quarter, the columns of `hedgesim run --format csv`.
sc = hedgesim.Scenario.bundled("teaching-dyad")
df = hedgesim.run(sc, seed=7)
print(df[["year", "label", "H", "x", "g_action"]].tail(8).to_string(index=False))

# %% The mix along the spectrum, pure balancing (bottom) to pure bandwagoning (top).
weights = ["w_PB", "w_IB", "w_DD", "w_EP", "w_BE", "w_LB", "w_PW"]
ax = df.plot.area(x="year", y=weights, figsize=(9, 4), linewidth=0, colormap="coolwarm")
ax.set_ylabel("share of the mix")
ax.set_xlabel("year")
ax.set_title(sc.name)
ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title="component")
plt.tight_layout()
plt.savefig(out, dpi=100)
print(f"wrote {out}: hedging in {(df['label'] == 'hedging').mean():.0%} of {len(df)} turns")
