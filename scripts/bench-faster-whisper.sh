#!/usr/bin/env bash
# Reference speed benchmark: transcribes AUDIO with faster-whisper (CTranslate2) so medlyt's
# speed can be compared on the same audio and the same weights.
#
# Usage: scripts/bench-faster-whisper.sh AUDIO [--model-dir DIR] [--language da]
#            [--compute-type int8] [--threads 2] [--beam 1] [--per-channel] [--text-out FILE]
#            [--vad] [--no-fallback] [--word-timestamps] [--repeat N]
#
# The first run creates a virtual environment in .cache/venv-fw and installs faster-whisper from
# PyPI into it. The model directory (default .cache/ct2/base) holds the CTranslate2 conversion of
# the Whisper model (model.bin, config.json, tokenizer.json, vocabulary.txt); scripts/get-models.sh
# puts it there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${MEDLYT_FW_VENV:-$root/.cache/venv-fw}"
# Pinned so figures stay comparable between runs; faster-whisper 1.2.1 pulls ctranslate2 4.x.
fw_version="${MEDLYT_FW_VERSION:-1.2.1}"

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
if ! "$venv/bin/python" -c "import faster_whisper" 2>/dev/null; then
    echo "installing faster-whisper==$fw_version into $venv" >&2
    "$venv/bin/python" -m pip install --quiet "faster-whisper==$fw_version"
fi

exec "$venv/bin/python" "$root/scripts/bench-faster-whisper.py" "$@"
