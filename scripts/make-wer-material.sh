#!/usr/bin/env bash
# Builds the word error rate material: every call script in scripts/wer-scripts/ is rendered
# with scripts/make_fixtures.py into .cache/wer/<split>/ (split from scripts/wer-scripts/splits.tsv):
# <name>.wav (stereo), <name>-mono.wav, <name>-8k-mulaw.wav and <name>.json (the exact texts).
# A call is skipped when its four files exist and are newer than its script and the builder.
#
#   scripts/make-wer-material.sh           build what is missing or out of date
#   scripts/make-wer-material.sh --force   rebuild everything
#
# Needs python3 (standard library), espeak-ng and sox.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
src=scripts/wer-scripts
out=.cache/wer
builder=scripts/make_fixtures.py
force=0
[[ "${1:-}" == "--force" ]] && force=1
for tool in python3 espeak-ng sox; do
    command -v "$tool" > /dev/null || { echo "missing $tool (see fixtures/README.md)" >&2; exit 1; }
done

start=$SECONDS
built=0 skipped=0
while IFS=$'\t' read -r name split; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    script="$src/$name.txt"
    [[ -f "$script" ]] || { echo "$src/splits.tsv: no script $script" >&2; exit 1; }
    [[ "$split" == tune || "$split" == test ]] || { echo "$src/splits.tsv: bad split '$split' for $name" >&2; exit 1; }
    grep -qx "@name $name" "$script" || { echo "$script: @name must be $name" >&2; exit 1; }
    dir="$out/$split"
    mkdir -p "$dir"
    fresh=$((1 - force))
    for f in "$dir/$name.json" "$dir/$name.wav" "$dir/$name-mono.wav" "$dir/$name-8k-mulaw.wav"; do
        if [[ ! -f "$f" || "$f" -ot "$script" || "$f" -ot "$builder" ]]; then fresh=0; fi
    done
    if (( fresh )); then
        skipped=$((skipped + 1))
        continue
    fi
    t0=$SECONDS
    msg="$(python3 "$builder" build "$script" "$dir")"
    echo "$msg ($split, $((SECONDS - t0)) s)"
    built=$((built + 1))
done < "$src/splits.tsv"

# A script not listed in splits.tsv would silently be left out.
for script in "$src"/*.txt; do
    name="$(basename "$script" .txt)"
    cut -f1 "$src/splits.tsv" | grep -qx "$name" || { echo "$script is not in $src/splits.tsv" >&2; exit 1; }
done
echo "built $built, up to date $skipped, in $((SECONDS - start)) s; material in $out/{tune,test}"
