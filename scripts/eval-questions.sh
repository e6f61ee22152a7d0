#!/usr/bin/env bash
# Scores the question classifier on the labelled Danish and English sets, and the question,
# reflection and affirmation coding on the hand-coded turns (docs/coding-manual.md).
# Usage: scripts/eval-questions.sh [dev|test|fresh|all|coded]
#   dev|test|fresh|all  the sentence sets (default: all; errors are listed for one split or all)
#   coded               the coded turns: tune and test splits, both languages (no errors listed:
#                       list the tune split's with target/release/examples/eval_coded FILE LANG tune --errors)
set -euo pipefail
cd "$(dirname "$0")/.."
split="${1:-all}"
if [[ "$split" == coded ]]; then
  cargo build -q --release -p medlyt-analysis --example eval_coded < /dev/null
  for lang in da en; do
    for part in tune test; do
      target/release/examples/eval_coded "crates/questions/data/coded-$lang.tsv" "$lang" "$part"
    done
  done
  exit 0
fi
for lang in da en; do
  echo "### $lang"
  cargo run -q --release -p medlyt-questions --example eval -- "crates/questions/data/eval-$lang.tsv" "$lang" "$split" < /dev/null
done
