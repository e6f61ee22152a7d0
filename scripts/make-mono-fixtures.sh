#!/usr/bin/env bash
# Build medlyt's mono diarization fixtures from fixtures/mono/scripts/*.txt into fixtures/mono/.
#
#   scripts/make-mono-fixtures.sh           build and list the outputs with sizes
#   scripts/make-mono-fixtures.sh --check   also build a second time and compare sha256 sums
#
# Needs espeak-ng, sox and python3 (standard library only), like scripts/make-fixtures.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
for tool in espeak-ng sox python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found" >&2; exit 1; }
done

out="fixtures/mono"
build_all() {
  for script in fixtures/mono/scripts/*.txt; do
    python3 scripts/make_mono_fixtures.py "$script" "$1"
  done
}
build_all "$out"
echo "outputs:"
(cd "$out" && ls -l -- *.wav *.json | awk '{printf "  %9d  %s\n", $5, $NF}')
if [ "$check" = 1 ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  build_all "$tmp" >/dev/null
  if (cd "$out" && sha256sum -- *.wav *.json) | diff - <(cd "$tmp" && sha256sum -- *.wav *.json); then
    echo "determinism: second build is byte-identical"
  else
    echo "error: second build differs" >&2
    exit 1
  fi
fi
