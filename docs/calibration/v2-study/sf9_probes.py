"""Write the SF9 probes of docs/calibration/v2-dynamic.md ("The cost of defiance, probed"): round 5's
candidate with the economic shock's loadings and exploitation's growth with dependence changed,
one scenario each, into OUT_DIR.

    python sf9_probes.py OUT_DIR
    hedgesim facts OUT_DIR/<probe>.toml --box docs/calibration/v2-study/probe-sf9.toml -o DIR

The probes:
- `round5`: the candidate as it is;
- `exposure-constant`: the economic loadings of EP and the acceptance side made constant in
  dependence, equal to round 5's at the base dependence 0.3 (SHOCK_k = DIV_k = 0.3·SHOCK_k);
- `exposure-constant-ed0`: that, and `payoff.exploitation_dependence` 0;
- `exposure-constant-no-defiance`: that, with the rejection side's economic loadings removed
  (SHOCK and DIV of IB and DD at 0), so nothing economic grows with dependence.
"""
import sys
import tomllib
from pathlib import Path

from write_candidate import write

HERE = Path(__file__).resolve().parent
ROUND5 = HERE / "candidate-round5.toml"
ACCEPTANCE = ("EP", "BE", "LB", "PW")
REJECTION = ("IB", "DD")


def changes(constant: bool, ed0: bool, no_defiance: bool) -> dict:
    """The probe's values, as field paths for write_candidate.write."""
    doctrine = tomllib.loads(ROUND5.read_text())["doctrine"]
    out = {}
    for k in ACCEPTANCE if constant else ():
        value = 0.3 * doctrine[k]["shock"]
        out[f"doctrine.{k}.shock"] = out[f"doctrine.{k}.div"] = value
    for k in REJECTION if no_defiance else ():
        out[f"doctrine.{k}.shock"] = out[f"doctrine.{k}.div"] = 0.0
    if ed0:
        out["payoff.exploitation_dependence"] = 0.0
    return out


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    probes = {"round5": (False, False, False), "exposure-constant": (True, False, False),
              "exposure-constant-ed0": (True, True, False), "exposure-constant-no-defiance": (True, False, True)}
    for name, flags in probes.items():
        (out / f"{name}.toml").write_text(write(changes(*flags), None, ROUND5))
        print(out / f"{name}.toml")
