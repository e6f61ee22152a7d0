#!/usr/bin/env bash
# Command 2 of the README: installs what the tests need (system packages, the default models),
# builds once in release mode and runs the whole test suite, including real transcriptions with
# the real Whisper base model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release --locked -p medlyt-cli
scripts/get-models.sh
export MEDLYT_REQUIRE_MODELS=1 MEDLYT_REQUIRE_CHROMIUM=1
cargo test --release --locked --workspace --no-fail-fast
scripts/check-tree.sh
