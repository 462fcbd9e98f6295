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
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCEPTANCE = ("EP", "BE", "LB", "PW")
REJECTION = ("IB", "DD")


def rewrite(text: str, constant: bool, ed0: bool, no_defiance: bool) -> str:
    out, section = [], None
    for line in text.splitlines():
        header = re.match(r"\[(.+)\]", line)
        if header:
            section = header.group(1)
        key = line.split("=")[0].strip() if "=" in line else None
        k = section.split(".")[1] if section and section.startswith("doctrine.") else None
        if constant and k in ACCEPTANCE and key == "shock":
            value = 0.3 * float(line.split("=")[1])
            out += [f"shock = {value!r}", f"div = {value!r}"]
            continue
        if no_defiance and k in REJECTION and key in ("shock", "div"):
            continue
        if ed0 and section == "payoff" and key == "exploitation_dependence":
            out.append("exploitation_dependence = 0.0")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    text = (HERE / "candidate-round5.toml").read_text()
    probes = {"round5": (False, False, False), "exposure-constant": (True, False, False),
              "exposure-constant-ed0": (True, True, False), "exposure-constant-no-defiance": (True, False, True)}
    for name, flags in probes.items():
        (out / f"{name}.toml").write_text(rewrite(text, *flags))
        print(out / f"{name}.toml")
