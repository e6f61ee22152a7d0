#!/usr/bin/env bash
# Build medlyt's scripted call fixtures from fixtures/scripts/*.txt into fixtures/calls/.
#
#   scripts/make-fixtures.sh           build, verify with sox, list the outputs with sizes
#   scripts/make-fixtures.sh --check   also build a second time elsewhere and compare sha256 sums
#
# Needs espeak-ng, sox (with libsox-fmt-all) and python3 (standard library only).
# Output is deterministic for a given espeak-ng and sox version.
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
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool not found (apt-get install -y espeak-ng sox libsox-fmt-all python3)" >&2
    exit 1
  fi
done

out="fixtures/calls"
mkdir -p "$out"
scripts=(fixtures/scripts/*.txt)

build_all() {
  local dir="$1"
  for script in "${scripts[@]}"; do
    python3 scripts/make_fixtures.py build "$script" "$dir"
  done
}

build_all "$out"

echo
for truth in "$out"/*.json; do
  python3 scripts/make_fixtures.py verify "$truth"
done

echo
echo "outputs:"
(cd "$out" && ls -l --time-style=+ -- * | awk '{printf "  %9d  %s\n", $5, $NF}')
total=$(du -cb "$out"/* | tail -n 1 | cut -f 1)
echo "  total: $total bytes ($(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"

if [ "$check" = 1 ]; then
  echo
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  build_all "$tmp" >/dev/null
  if (cd "$out" && sha256sum -- *) | diff - <(cd "$tmp" && sha256sum -- *); then
    echo "determinism: second build is byte-identical"
  else
    echo "error: second build differs" >&2
    exit 1
  fi
fi
