#!/usr/bin/env bash
# Score medlyt's mono diarization on the fixtures with known truth and time a 30-minute call.
#
#   scripts/eval-diarization.sh
#
# Prints per fixture and overall: DER (0.25 s collar) split into missed speech, false alarm and
# speaker confusion, the talk-share error in percentage points, and interruptions in the truth
# against those found; then the time to diarize a 30-minute mono call built by concatenating
# the fixtures. Builds the crate's example in release mode.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release --quiet -p medlyt-diarize --example eval_diarization
bin="$CARGO_TARGET_DIR/release/examples/eval_diarization"
truths=(fixtures/calls/*.json fixtures/mono/*.json)
"$bin" "${truths[@]}"
echo
"$bin" --long 1800 "${truths[@]}"
