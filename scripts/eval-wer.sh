#!/usr/bin/env bash
# Word error rate of `medlyt transcribe` on the scripted calls of scripts/wer-scripts/.
#
#   scripts/eval-wer.sh [--set calls|words] [--split tune|test|all] [--variant stereo|mono|8k|all]
#                       [--lang da|en|all] [--out FILE.tsv] [--show NAME] [--keep DIR]
#                       [-- MEDLYT_ARGS...]
#
# --set words: Danish nouns said by one real person (scripts/make-danish-words.sh) instead of
# the espeak-ng call scripts.
#
# Defaults: --split tune --variant stereo --lang all. Choose decoding options on tune, e.g.
#   scripts/eval-wer.sh --split tune -- --beam 5
# and report the chosen ones once on test. Arguments after -- go to medlyt transcribe.
# Builds the material (scripts/make-wer-material.sh) when it is missing or out of date.
# Scoring and normalisation: see scripts/eval_wer.py. Exit status 1 when a file failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
medlyt="${MEDLYT:-target/release/medlyt}"
if [[ ! -x "$medlyt" ]]; then
    echo "no $medlyt: build it with cargo build --release -p medlyt-cli" >&2
    exit 1
fi
if [[ " $* " == *" --set words "* ]]; then
    bash scripts/make-danish-words.sh > /dev/null
else
    bash scripts/make-wer-material.sh > /dev/null
fi
exec python3 scripts/eval_wer.py "$@"
