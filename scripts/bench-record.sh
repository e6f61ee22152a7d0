#!/usr/bin/env bash
# Records a simulated device (a WAV file played in real time, through the same ring buffer path
# as a sound card) for DURATION seconds (default 600) while every core is kept busy, and prints
# the overruns and the recorder's CPU use (from /proc/self/stat and /usr/bin/time).
# Usage: scripts/bench-record.sh [DURATION_S]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-600}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p medlyt-record --example record
bin="$CARGO_TARGET_DIR/release/examples/record"
tmp=$(mktemp -d)
busy=()
cleanup() { for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
# Two parties: pink noise bursts on each channel, 16 kHz stereo.
sox -n -r 16000 -c 2 -b 16 "$tmp/src.wav" synth "$((dur + 5))" pinknoise vol 0.3 tremolo 0.2 90
for _ in $(seq "$(nproc)"); do ( while :; do :; done ) & busy+=($!); done
echo "recording ${dur} s with $(nproc) busy loops running"
/usr/bin/time -f "time: %U s user, %S s system, %P CPU, %M KB max resident" \
  "$bin" "$tmp/session.wav" "$dur" "file:$tmp/src.wav"
