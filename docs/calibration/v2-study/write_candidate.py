"""Write a search's candidate as a scenario: the dynamic base with the candidate's values.

    python write_candidate.py SEARCH.json OUT.toml [DECIMALS]

SEARCH.json is dynamic_search.py's output (its "candidate": field paths and values, and from
round 11 its "base", the file the search ran on; before, the dynamic base). Each value
replaces the base file's line for that key in its section, or is added at the end of the section.
With DECIMALS the values are rounded (property 4: "defaults rounded to two decimals keep every
result").
"""
import json
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent / "teaching-dyad-v2-dynamic.toml"


def write(candidate: dict, decimals: int | None, base: Path = BASE) -> str:
    """`base` (the dynamic base file unless given) with each of `candidate`'s values set."""
    lines = base.read_text().splitlines()
    for path, value in candidate.items():
        *section, key = path.split(".")
        header = "[" + ".".join(section) + "]"
        value = round(value, decimals) if decimals is not None else value
        start = lines.index(header)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        for i in range(start + 1, end):
            if lines[i].split("=")[0].strip() == key:
                lines[i] = f"{key} = {value!r}"
                break
        else:
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, f"{key} = {value!r}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    search = json.loads(Path(sys.argv[1]).read_text())
    decimals = int(sys.argv[3]) if len(sys.argv) > 3 else None
    base = Path(__file__).resolve().parents[3] / search["base"] if "base" in search else BASE
    Path(sys.argv[2]).write_text(write(search["candidate"], decimals, base))
