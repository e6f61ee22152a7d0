#!/usr/bin/env bash
# Batch throughput of medlyt on this machine: audio hours per wall-clock hour with 1 and 2
# recordings in parallel (Whisper threads divided so that parallel x threads <= cores), with the
# base model, and the peak memory of each run.
#
#   scripts/bench-batch.sh [RECORDING ...]
#
# Default recordings: the scripted calls in fixtures/calls (stereo 16 kHz, 8 kHz mu-law, mono).
# Needs the models in models/ (ggml-base-q8_0.bin, ggml-silero-v6.2.3.bin).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-models/ggml-base-q8_0.bin}
VAD=${VAD:-models/ggml-silero-v6.2.3.bin}
TARGET=${CARGO_TARGET_DIR:-target}
if [ $# -eq 0 ]; then
  set -- fixtures/calls/da-borgerservice.wav fixtures/calls/da-jobcenter-8k-mulaw.wav \
         fixtures/calls/en-citizen-service-mono.wav fixtures/calls/da-borgerservice-8k-mulaw.wav
fi
cargo build --release -q -p medlyt-batch --example bench
BIN="$TARGET/release/examples/bench"
echo "machine: $(nproc) cores; model $(basename "$MODEL"); $# recordings"
for P in 1 2; do
  OUT=$(mktemp -d)
  # A fresh output folder each time, so nothing is reused from an earlier run.
  "$BIN" "$MODEL" "$VAD" "$P" "$OUT" "$@"
  rm -rf "$OUT"
done
