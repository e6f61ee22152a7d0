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
cargo test --release --locked --workspace --no-fail-fast -- --skip fuzz::
# The seeded fuzz tests, with their seeds and case counts shown; then the hostile inputs' time and
# memory (scripts/check-limits.sh).
cargo test --release --locked -p medlyt-audio --test audio fuzz:: -- --nocapture 2>&1 | grep -E "fuzz|test result"
cargo test --release --locked -p medlyt-cli --test cli fuzz:: -- --nocapture 2>&1 | grep -E "fuzz|test result"
scripts/check-limits.sh
# The README's Slurm job array on a one-node Slurm started here (needs root; skipped otherwise).
if [ "$(id -u)" -eq 0 ]; then
  MEDLYT_REQUIRE_SLURM=1 scripts/test-slurm.sh
else
  scripts/test-slurm.sh
fi
scripts/check-tree.sh
