#!/usr/bin/env bash
# Builds the Danish word lists said by a real person (scripts/make_danish_words.py) into
# .cache/wer/words/{tune,test}/, from Debian's ktuberling-data (fetched with apt-get download
# into .cache/real-src/debs/ and unpacked into .cache/real-src/ktuberling/). Skipped when built.
#
#   scripts/make-danish-words.sh           build when missing
#   scripts/make-danish-words.sh --force   rebuild
#
# Needs python3, sox (with Ogg Vorbis) and apt-get + dpkg-deb (or the .deb already in place).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
src=.cache/real-src
out=.cache/wer/words
if [[ "${1:-}" != "--force" && -f "$out/test/da-words-test-4.json" ]]; then
    echo "word lists up to date in $out"
    exit 0
fi
for tool in python3 sox dpkg-deb; do
    command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }
done
mkdir -p "$src/debs"
deb="$(ls "$src"/debs/ktuberling-data_*.deb 2> /dev/null | head -n 1 || true)"
if [[ -z "$deb" ]]; then
    (cd "$src/debs" && apt-get download -qq ktuberling-data) ||
        { echo "apt-get download ktuberling-data failed (run apt-get update first?)" >&2; exit 1; }
    deb="$(ls "$src"/debs/ktuberling-data_*.deb | head -n 1)"
fi
sounds="$src/ktuberling/usr/share/ktuberling/sounds/da"
[[ -d "$sounds" ]] || dpkg-deb -x "$deb" "$src/ktuberling"
rm -rf "$out"
python3 scripts/make_danish_words.py "$sounds" "$out"
