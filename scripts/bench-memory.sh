#!/usr/bin/env bash
# Peak memory of a whole `medlyt transcribe` run (decoding, Silero VAD on both channels, the base
# model) on a long stereo call, to show memory does not grow with the recording beyond the 16 kHz
# working samples (2 bytes per sample per channel: 461 MB for 2 hours of stereo).
#
# The call is the bundled da-borgerservice call followed by a quiet line (noise at -60 dBFS) up to
# HOURS hours, as an 8 kHz mu-law stereo telephony file; every second of it is decoded and
# searched for speech, and the speech is transcribed.
# Usage: scripts/bench-memory.sh [HOURS]   (default 2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
hours="${1:-2}"
medlyt="${MEDLYT:-target/release/medlyt}"
[ -x "$medlyt" ] || { echo "build first: cargo build --release" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
seconds=$(awk "BEGIN {print int($hours * 3600)}")
sox -R -D -V1 -n -r 16000 -c 2 -b 16 "$tmp/quiet.wav" synth "$seconds" whitenoise vol 0.001
sox -R -D -V1 fixtures/calls/da-borgerservice.wav "$tmp/quiet.wav" -r 8000 -e mu-law -b 8 "$tmp/long.wav" trim 0 "$seconds"
echo "input: $(soxi -d "$tmp/long.wav") stereo, $(soxi -r "$tmp/long.wav") Hz mu-law, $(du -h "$tmp/long.wav" | cut -f1)"
/usr/bin/time -f "%e %M" -o "$tmp/time" "$medlyt" transcribe "$tmp/long.wav" --quiet --timings -o "$tmp/out.json"
read -r wall rss < "$tmp/time"
echo "wall seconds        $wall"
echo "peak RSS MiB        $(awk "BEGIN {print int($rss / 1024)}")"
echo "16 kHz samples MiB  $(awk "BEGIN {print int($seconds * 16000 * 2 * 2 / 1048576)}") (the working samples alone)"
