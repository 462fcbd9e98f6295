#!/usr/bin/env bash
# Rewrite the field tables that precede `<!-- table: `hedgesim fields ...` -->` markers in README.md
# and docs/model.md from the binary's own output (tests/doc_figures.rs checks they match). Run after
# adding or changing a schema row: `bash scripts/refresh-field-tables.sh`. It builds into
# CARGO_TARGET_DIR when that is set (so a search using target/release keeps its binary).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
export HEDGESIM_BIN="${CARGO_TARGET_DIR:-target}/release/hedgesim"
python3 - <<'PY'
import os, re, subprocess
for path in ["README.md", "docs/model.md"]:
    lines = open(path).read().split("\n")
    # From the bottom up, so that a replaced table does not move the markers still to do.
    for i in reversed(range(len(lines))):
        line = lines[i]
        m = re.match(r"<!-- table: `hedgesim (fields[^`]*)` -->", line)
        if not m:
            continue
        # The table the marker checks ends on the line above it.
        end = i
        start = end
        while start > 0 and lines[start - 1].startswith("|"):
            start -= 1
        table = subprocess.run([os.environ["HEDGESIM_BIN"], *m.group(1).split()], check=True,
                               capture_output=True, text=True).stdout
        lines[start:end] = [l for l in table.split("\n") if l.startswith("|")]
    open(path, "w").write("\n".join(lines))
PY
