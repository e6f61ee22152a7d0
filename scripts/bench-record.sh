#!/usr/bin/env bash
# Records a simulated device (a WAV file played in real time, through the same ring buffer path
# as a sound card) for DURATION seconds (default 600) while every core is kept busy, and prints
# the overruns and the recorder's CPU use (from /proc/self/stat and /usr/bin/time).
# With `two`, two devices are recorded at once: one at 48 kHz and one at 44.1 kHz on a clock
# running 100 ppm fast, aligned by the recorder (its measured drift is printed).
# Usage: scripts/bench-record.sh [DURATION_S] [two]
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
if [[ "${2:-}" == two ]]; then
  # Two devices: a headset microphone at 48 kHz and the call line at 44.1 kHz, 100 ppm fast.
  sox -n -r 48000 -c 1 -b 16 "$tmp/a.wav" synth "$((dur + 5))" pinknoise vol 0.3 tremolo 0.2 90
  sox -n -r 44100 -c 1 -b 16 "$tmp/b.wav" synth "$((dur + 5))" pinknoise vol 0.3 tremolo 0.3 90
  devices=("file:$tmp/a.wav" "file:$tmp/b.wav#+100")
else
  # Two parties: pink noise bursts on each channel, 16 kHz stereo.
  sox -n -r 16000 -c 2 -b 16 "$tmp/src.wav" synth "$((dur + 5))" pinknoise vol 0.3 tremolo 0.2 90
  devices=("file:$tmp/src.wav")
fi
for _ in $(seq "$(nproc)"); do ( while :; do :; done ) & busy+=($!); done
echo "recording ${dur} s with $(nproc) busy loops running"
/usr/bin/time -f "time: %U s user, %S s system, %P CPU, %M KB max resident" \
  "$bin" "$tmp/session.wav" "$dur" "${devices[@]}"
