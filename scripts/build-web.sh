#!/usr/bin/env bash
# Build the teaching page docs/hedgesim.html: the model (web/, hedgesim-web) compiled to
# wasm32-unknown-unknown with crates from the registry alone, inlined as base64 with the page's
# code, styles and the bundled scenarios (web/page/build.py). One file, nothing fetched: it opens
# from file:// with a double click.
#
#   scripts/build-web.sh            # rebuild docs/hedgesim.html
#   scripts/build-web.sh --check    # rebuild into a temporary file; fail if docs/hedgesim.html differs
#
# The build is deterministic: paths are remapped so that the module does not depend on where the
# checkout or the cargo home lie (the same toolchain gives the same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/hedgesim.html
check=false
if [[ ${1:-} == --check ]]; then
  check=true
elif [[ $# -gt 0 ]]; then
  echo "usage: scripts/build-web.sh [--check]" >&2
  exit 2
fi
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo_home=${CARGO_HOME:-$HOME/.cargo}
RUSTFLAGS="--remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$PWD=/hedgesim" \
  cargo build -p hedgesim-web --target wasm32-unknown-unknown --profile web --locked
if $check; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  python3 web/page/build.py "$tmp"
  if ! cmp -s "$tmp" "$out"; then
    echo "$out is not current: run scripts/build-web.sh and commit it" >&2
    exit 1
  fi
  echo "$out is current ($(wc -c <"$out") bytes)"
else
  tmp=$(mktemp "$out.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  python3 web/page/build.py "$tmp"
  mv "$tmp" "$out"
  trap - EXIT
  echo "wrote $out ($(wc -c <"$out") bytes)"
fi
