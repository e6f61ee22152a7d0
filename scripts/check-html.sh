#!/usr/bin/env bash
# Builds the HTML report and summary, opens them in headless Chromium through the report crate's
# tests (no console errors, the timeline's blocks and markers counted in the DOM), then measures
# how long the 90-minute synthetic call takes to render and how large its page is.
#
#   scripts/check-html.sh               # test and measure; pages kept in target-html/html-check
#   scripts/check-html.sh --screenshots # also copy the screenshots to docs/report.png, docs/summary.png
#
# Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${MEDLYT_HTML_OUT:-$PWD/target-html/html-check}"
rm -rf "$out" && mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-html}"

MEDLYT_HTML_OUT="$out" MEDLYT_REQUIRE_CHROMIUM=1 \
  cargo test -p medlyt-report --test html -- --test-threads=1

page="$out/report-90min.html"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome() {
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" "$@" 2>/dev/null
}
echo '<!DOCTYPE html><html><body><pre id="selfcheck">{}</pre></body></html>' > "$out/blank.html"
chrome --dump-dom "file://$out/blank.html" > /dev/null   # warm the profile and the disk cache

# Wall time on a shared machine depends on its load; CPU time (user + system, all of Chromium's
# processes) much less. Both are printed for the page and for a blank page to subtract.
echo "90-minute page: $(stat -c %s "$page") bytes"
TIMEFORMAT='%R %U %S'
measure() { # prints "wall cpu" in ms for one --dump-dom of $1; the self-check goes to $out/check
  local t
  t=$( { time chrome --dump-dom "file://$1" > "$out/check.html"; } 2>&1 )
  read -r real user sys <<< "$t"
  awk -v r="$real" -v u="$user" -v s="$sys" 'BEGIN { printf "%d %d", r * 1000, (u + s) * 1000 }'
}
for run in 1 2 3 4 5; do
  read -r page_wall page_cpu <<< "$(measure "$page")"
  ms=$(sed -n 's/.*"ms":\([0-9]*\).*/\1/p' "$out/check.html")
  read -r blank_wall blank_cpu <<< "$(measure "$out/blank.html")"
  echo "run $run: in-page load+script+layout ${ms} ms;" \
       "chromium wall ${page_wall} ms (blank ${blank_wall}), cpu ${page_cpu} ms (blank ${blank_cpu});" \
       "page's share: wall $((page_wall - blank_wall)) ms, cpu $((page_cpu - blank_cpu)) ms"
done
uptime

if [[ "${1:-}" == "--screenshots" ]]; then
  cp "$out/report.png" docs/report.png
  cp "$out/summary.png" docs/summary.png
  ls -l docs/report.png docs/summary.png
fi
