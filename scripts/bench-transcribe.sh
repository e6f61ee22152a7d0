#!/usr/bin/env bash
# Speed and memory of `medlyt transcribe` on a bundled call, side by side with faster-whisper
# (PyPI, int8, 2 threads) on the same audio and the same Whisper base weights.
#
# Usage: scripts/bench-transcribe.sh [CALL] [RUNS]
#   CALL  default fixtures/calls/da-jobcenter.wav (73.8 s, Danish, stereo)
#   RUNS  default 3; the median run is reported
# Needs: target/release/medlyt and the models (scripts/get-models.sh). The first run installs
# faster-whisper into .cache/venv-fw.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
call="${1:-fixtures/calls/da-jobcenter.wav}"
runs="${2:-3}"
lang=da
case "$(basename "$call")" in en-*) lang=en ;; esac
medlyt=target/release/medlyt
ct2=.cache/ct2/base-q8_0  
[ -x "$medlyt" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -f "$ct2/model.bin" ] || ct2=.cache/ct2/base
[ -f "$ct2/model.bin" ] || { echo "no CTranslate2 base model in .cache/ct2: run scripts/get-models.sh" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "== medlyt transcribe $call (base q8_0, greedy, $(nproc) threads), $runs runs"
for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.$i" \
        "$medlyt" transcribe "$call" --language "$lang" --quiet --timings -o "$tmp/out.json" 2> "$tmp/timings.$i"
    echo "$(cat "$tmp/time.$i") $i" >> "$tmp/runs"
done
median=$(sort -n "$tmp/runs" | sed -n "$(( (runs + 1) / 2 ))p")
read -r wall rss idx <<< "$median"
audio=$(awk '/audio seconds/ {print $3}' "$tmp/timings.$idx")
echo "stages of the median run:"
sed 's/^/  /' "$tmp/timings.$idx"
fw() { # $1: label file, rest: extra options
    local out="$1"; shift
    scripts/bench-faster-whisper.sh "$call" --model-dir "$ct2" --language "$lang" --threads 2 \
        --compute-type int8 --beam 1 --repeat "$runs" "$@" | tee "$out"
}
field() { awk -F'  +' -v k="$2" '$1 == k {print $2}' "$1" | awk '{print $1}'; }
echo "== faster-whisper on the same audio (segment times only)"
fw "$tmp/fw.txt"
echo "== faster-whisper on the same audio, with word times (as medlyt gives)"
fw "$tmp/fw-words.txt" --word-timestamps
echo
echo "== side by side ($call, $audio s of audio)"
printf '%-28s %10s %16s %16s\n' "" "medlyt" "faster-whisper" "fw + word times"
printf '%-28s %10.2f %16.2f %16.2f\n' "wall seconds (end to end)" "$wall" \
    "$(field "$tmp/fw.txt" "wall seconds, load included")" \
    "$(field "$tmp/fw-words.txt" "wall seconds, load included")"
printf '%-28s %10.3f %16.3f %16.3f\n' "real-time factor" "$(awk "BEGIN {print $wall / $audio}")" \
    "$(awk "BEGIN {print $(field "$tmp/fw.txt" "wall seconds, load included") / $audio}")" \
    "$(awk "BEGIN {print $(field "$tmp/fw-words.txt" "wall seconds, load included") / $audio}")"
printf '%-28s %10.0f %16.0f %16.0f\n' "peak RSS MiB" "$(awk "BEGIN {print $rss / 1024}")" \
    "$(field "$tmp/fw.txt" "peak RSS MiB")" "$(field "$tmp/fw-words.txt" "peak RSS MiB")"
