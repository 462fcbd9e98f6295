#!/usr/bin/env bash
# Render hedgesim HTML reports to PNG with headless Chromium, to look at them as a reader would.
#   scripts/screenshot-report.sh REPORT.html [OUT.png] [HEIGHT]
# Installs Debian's chromium if it is missing. The page is rendered at 1100 px wide; HEIGHT
# (default 3600) should cover the whole page.
set -euo pipefail
html=${1:?usage: scripts/screenshot-report.sh REPORT.html [OUT.png] [HEIGHT]}
png=${2:-${html%.html}.png}
height=${3:-3600}
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The network is closed here: switch off everything that would try to reach it.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size="1100,$height" \
  --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" >/dev/null 2>&1
[[ -s $png ]] || { echo "no screenshot was written to $png" >&2; exit 1; }
echo "$png"
