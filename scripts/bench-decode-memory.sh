#!/usr/bin/env bash
# Measures peak memory (RSS) and speed of decoding long call recordings with medlyt-audio.
#
# Generates, in a temporary folder that is removed afterwards, call-like two-hour stereo files
# (a different tone plus noise on each channel):
#   - 8 kHz G.711 mu-law stereo WAV   (a telephony archive)
#   - 44.1 kHz 16-bit stereo WAV       (a headset recording)
#   - with BENCH_MP3=1 also a 44.1 kHz stereo MP3 (encoding it takes a few minutes)
# then decodes each with `crates/audio/examples/decode.rs` under /usr/bin/time -v.
#
# Expected peak: the 16 kHz i16 output, 2 h * 16000 * 2 bytes * 2 channels = 461 MB, plus a few MB.
# Usage: scripts/bench-decode-memory.sh [hours]   (default 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
hours="${1:-2}"
seconds=$(python3 -c "print(int(float('$hours') * 3600))")
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

cargo build --release -q -p medlyt-audio --example decode --manifest-path "$root/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/examples/decode"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

call() { # rate, encoding options..., file
  local rate="$1" out="${*: -1}"
  local enc=("${@:2:$#-2}")
  sox -R -D -V1 -n -r "$rate" -c 2 "${enc[@]}" "$out" \
    synth "$seconds" sine 300 sine 450 synth pinknoise amod 0.7 vol 0.3
}

echo "generating ${hours} h stereo files in $tmp ..."
call 8000 -e mu-law "$tmp/call-8k-mulaw-stereo.wav"
call 44100 -b 16 -e signed-integer "$tmp/call-44k1-pcm16-stereo.wav"
if [ "${BENCH_MP3:-0}" = 1 ]; then
  call 44100 -C 64 "$tmp/call-44k1-stereo.mp3"
fi

expected_mb=$(python3 -c "print(round($seconds * 16000 * 2 * 2 / 1e6))")
echo "expected output size: ${expected_mb} MB (16 kHz i16, 2 channels)"
for f in "$tmp"/*; do
  size_mb=$(python3 -c "import os; print(round(os.path.getsize('$f') / 1e6))")
  echo
  echo "== $(basename "$f") (${size_mb} MB)"
  /usr/bin/time -v "$bin" "$f" 2> "$tmp/time.txt"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "peak rss: $((rss_kb / 1024)) MiB ($(python3 -c "print(round($rss_kb * 1024 / 1e6))") MB)"
  grep -E "Elapsed \(wall clock\)|User time" "$tmp/time.txt" | sed 's/^\s*/  /'
  rm -f "$f"
done
