#!/usr/bin/env bash
# Fails when the working tree holds files that git neither tracks nor ignores: a script or a test
# that writes a stray file (a mistyped redirection, an output path left empty) is caught here
# instead of being committed. Also checks that every shell script parses. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for script in scripts/*.sh .ci/run; do
    bash -n "$script" || { echo "check-tree: $script does not parse" >&2; status=1; }
done
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    stray="$(git ls-files --others --exclude-standard)"
    if [[ -n "$stray" ]]; then
        echo "check-tree: files neither tracked nor ignored (remove them, or ignore them in .gitignore):" >&2
        printf '  %s\n' "$stray" >&2
        status=1
    fi
fi
[[ $status -eq 0 ]] && echo "check-tree: no stray files, every script parses"
exit $status
