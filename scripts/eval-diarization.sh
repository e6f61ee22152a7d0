#!/usr/bin/env bash
# Scores medlyt's mono diarization and measures its speed and memory.
#
#   scripts/eval-diarization.sh            neural models (scripts/get-models.sh installs them)
#   scripts/eval-diarization.sh --signal   also the signal-feature fallback, for comparison
#   scripts/eval-diarization.sh --rttm DIR [OPTIONS]
#                                          your own recordings instead: DIR/*.rttm references
#                                          (audio beside them, FILE.wav/.flac/... per file id);
#                                          OPTIONS go to eval_diarization (e.g. --collar 0.25)
#
# Sets, each scored separately: the espeak-ng fixtures (fixtures/calls, fixtures/mono); the
# realistic tuning split and the realistic test split (recorded and neural voices, built by
# scripts/make-real-calls.sh into .cache/real-calls/, rebuilt here when missing); five recordings
# of about 5 minutes from test material (one and two voices, wideband and telephone). Per recording
# and overall: DER with no collar, overlapped speech scored, on a 10 ms grid with the best
# one-to-one speaker mapping, split into missed speech, false alarm and speaker confusion; the
# largest talk-share error; speakers found against the truth; interruptions truth/found; and
# both realistic splits again, cut into chunks as a longer call is (overall figures). Then
# the time and peak memory to diarize 30- and 60-minute mono calls built from the test split.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release --quiet -p medlyt-diarize --example eval_diarization
bin="$CARGO_TARGET_DIR/release/examples/eval_diarization"
if [[ "${1:-}" == "--rttm" ]]; then
    dir="${2:?--rttm needs a folder of .rttm references}"
    shift 2
    found="${EVAL_OUT:-$root/.cache/eval-rttm}"
    rm -rf "$found"
    "$bin" --method neural --write-rttm "$found" "$@" "$dir"/*.rttm
    echo "found turns: $found/*.rttm"
    # The same turns scored by pyannote.metrics, where a Python has it, as a check of the scorer.
    py="${PYTHON:-$root/.cache/real-venv/bin/python}"
    if "$py" -c "import pyannote.metrics" 2>/dev/null; then
        "$py" scripts/check_der.py "$dir" "$found"
    fi
    exit 0
fi
real="$root/.cache/real-calls"
if [[ ! -d "$real/test" || ! -d "$real/tune" || ! -d "$real/long" ]]; then
    bash scripts/make-real-calls.sh
fi

methods=(neural)
[[ "${1:-}" == "--signal" ]] && methods+=(signal)
for m in "${methods[@]}"; do
    echo "== espeak-ng fixtures ($m)"
    "$bin" --method "$m" fixtures/calls/*.json fixtures/mono/*.json
    echo
    echo "== realistic tuning split ($m)"
    "$bin" --method "$m" "$real"/tune/*.json
    echo
    echo "== realistic test split, not tuned on ($m)"
    "$bin" --method "$m" "$real"/test/*.json
    echo
    echo "== long recordings of about 5 minutes, test material, not tuned on ($m)"
    "$bin" --method "$m" "$real"/long/*.json
    echo
done
# The recordings last about a minute, so they get 24 or more chunks; a call of a few minutes
# gets steps of 2.5 s, one of half an hour or more steps of 5 s. Scored as those are chunked:
for step in 2.5 5; do
    for split in tune test; do
        echo "== realistic $split split, chunked as a long call is (10 s chunks every $step s)"
        "$bin" --method neural --min-chunks 1 --dense-chunks 1 --step "$step" "$real/$split"/*.json \
            | grep -E "^(overall|method)"
    done
    echo
done
echo "== speed and memory (neural, 2 threads)"
for secs in 1800 3600; do
    "$bin" --threads 2 --long "$secs" "$real"/test/*.json
done
