#!/usr/bin/env bash
# Scores the question classifier on the labelled Danish and English sets.
# Usage: scripts/eval-questions.sh [dev|test|fresh|all]   (default: all; errors are listed for one split or all)
set -euo pipefail
cd "$(dirname "$0")/.."
split="${1:-all}"
for lang in da en; do
  echo "### $lang"
  cargo run -q --release -p medlyt-questions --example eval -- "crates/questions/data/eval-$lang.tsv" "$lang" "$split"
done
