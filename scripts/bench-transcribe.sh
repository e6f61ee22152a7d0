#!/usr/bin/env bash
# Speed and memory of `medlyt transcribe` on a bundled call, side by side with faster-whisper
# (PyPI, int8, 2 threads) on the same audio and the same Whisper base weights.
#
# Usage: scripts/bench-transcribe.sh [CALL] [RUNS]
#   CALL  default fixtures/calls/da-jobcenter.wav (73.8 s, Danish, stereo)
#   RUNS  default 3 rounds; the median of each is reported
# Needs: target/release/medlyt and the models (scripts/get-models.sh). The first run installs
# faster-whisper into .cache/venv-fw.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
call="${1:-fixtures/calls/da-jobcenter.wav}"
runs="${2:-3}"
lang=da
case "$(basename "$call")" in en-*) lang=en ;; esac
medlyt="${MEDLYT:-target/release/medlyt}"
ct2=.cache/ct2/base-q8_0
[ -x "$medlyt" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -f "$ct2/model.bin" ] || ct2=.cache/ct2/base
[ -f "$ct2/model.bin" ] || { echo "no CTranslate2 base model in .cache/ct2: run scripts/get-models.sh" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The three take turns in every round, so a slow spell on a shared machine hits all of them.
fw() { # $1: output file, rest: extra options
    local out="$1"; shift
    scripts/bench-faster-whisper.sh "$call" --model-dir "$ct2" --language "$lang" --threads 2 \
        --compute-type int8 --beam 1 --repeat 1 "$@" > "$out"
}
field() { awk -F'  +' -v k="$2" '$1 == k {print $2}' "$1" | awk '{print $1}'; }
echo "== $runs rounds on $call: medlyt transcribe (base q8_0, greedy, $(nproc) threads), then"
echo "   faster-whisper (int8, 2 threads, greedy) with segment times, then with word times"
for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.$i" \
        "$medlyt" transcribe "$call" --language "$lang" --quiet --timings -o "$tmp/out.json" 2> "$tmp/timings.$i"
    echo "$(cat "$tmp/time.$i") $i" >> "$tmp/medlyt"
    fw "$tmp/fw.$i"
    fw "$tmp/fw-words.$i" --word-timestamps
    for kind in fw fw-words; do
        echo "$(field "$tmp/$kind.$i" "wall seconds, load included") $(field "$tmp/$kind.$i" "peak RSS MiB") $i" >> "$tmp/$kind"
    done
    printf '  round %s: medlyt %s s, faster-whisper %s s, with word times %s s\n' "$i" \
        "$(cut -d' ' -f1 "$tmp/time.$i")" "$(tail -1 "$tmp/fw" | cut -d' ' -f1)" \
        "$(tail -1 "$tmp/fw-words" | cut -d' ' -f1)"
done
median() { sort -n "$1" | sed -n "$(( (runs + 1) / 2 ))p"; }
read -r wall rss idx <<< "$(median "$tmp/medlyt")"
read -r fw_wall fw_rss fw_idx <<< "$(median "$tmp/fw")"
read -r fww_wall fww_rss _ <<< "$(median "$tmp/fw-words")"
audio=$(awk '/audio seconds/ {print $3}' "$tmp/timings.$idx")
echo "== medlyt, stages of the median run"
sed 's/^/  /' "$tmp/timings.$idx"
echo "== faster-whisper, median run"
sed 's/^/  /' "$tmp/fw.$fw_idx"
echo
echo "== side by side ($call, $audio s of audio, median of $runs rounds)"
printf '%-28s %10s %16s %16s\n' "" "medlyt" "faster-whisper" "fw + word times"
printf '%-28s %10.2f %16.2f %16.2f\n' "wall seconds (end to end)" "$wall" "$fw_wall" "$fww_wall"
printf '%-28s %10.3f %16.3f %16.3f\n' "real-time factor" "$(awk "BEGIN {print $wall / $audio}")" \
    "$(awk "BEGIN {print $fw_wall / $audio}")" "$(awk "BEGIN {print $fww_wall / $audio}")"
printf '%-28s %10.0f %16.0f %16.0f\n' "peak RSS MiB" "$(awk "BEGIN {print $rss / 1024}")" "$fw_rss" "$fww_rss"
