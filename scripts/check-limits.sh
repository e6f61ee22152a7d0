#!/usr/bin/env bash
# Runs medlyt on hostile transcripts and folders and checks that each is handled within a few
# seconds and well under 1 GB of memory, with the expected exit code:
#   JSON with times of 1e9 s, 1e15 s and 1e300 s (segments, duration, speech spans), WebVTT with a
#   cue at 1,000 and 10,000 hours, a 10 MB single-line text, a WebVTT cue of 10 MB of '&', more
#   segments than the limit, a transcript at the limit of 100,000 segments (read and analysed),
#   and batches over a folder with a symlink loop, a named pipe and a hostile transcript.
# Prints one line per case: case, exit code (expected), seconds, peak memory. Exits non-zero when a
# case takes longer than MAX_S seconds (default 10), more than MAX_KB of memory (default 1 GB), or
# ends with another exit code.
# Usage: scripts/check-limits.sh [path/to/medlyt]   (default: target/release/medlyt, built if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
medlyt="${1:-$root/target/release/medlyt}"
max_s="${MAX_S:-10}"
max_kb="${MAX_KB:-1048576}"

if [[ ! -x /usr/bin/time ]]; then
    echo "check-limits: /usr/bin/time is needed (apt-get install time)" >&2
    exit 2
fi
if [[ ! -x "$medlyt" ]]; then
    cargo build --release -p medlyt-cli --quiet
    medlyt="$root/target/release/medlyt"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
in="$tmp/in"
mkdir -p "$in"

python3 - "$in" <<'PY'
import json, sys
d = sys.argv[1]

def transcript(duration, segments, speech=None):
    return {
        "schema": "medlyt.transcript", "version": 1,
        "recording": {"source": "x.wav", "duration": duration, "sample_rate": 0,
                      "channels": 0, "codec": "text"},
        "language": {"requested": "da"},
        "tracks": [{"id": 0, "role": "employee", "speaker": "Anna", "speech": speech or []},
                   {"id": 1, "role": "citizen", "speaker": "Bo", "speech": []}],
        "segments": [{"track": t, "start": a, "end": b, "text": x} for t, a, b, x in segments],
    }

def two(start, end):
    return [(0, 1.0, 4.0, "Goddag, det er Anna fra borgerservice."),
            (1, start, end, "Hej, jeg ringer om mit brev.")]

def write(name, obj):
    with open(f"{d}/{name}", "w") as f:
        json.dump(obj, f)

write("json-segment-1e9.json", transcript(60.0, two(1e9, 1e9 + 1)))
write("json-duration-1e9.json", transcript(1e9, two(5.0, 7.0)))
write("json-speech-1e9.json", transcript(60.0, two(5.0, 7.0), [{"start": 1.0, "end": 1e9}]))
write("json-times-1e15.json", transcript(1e15, two(1e15 - 2, 1e15)))
write("json-duration-1e300.json", transcript(1e300, two(5.0, 7.0)))
many = [(i % 2, i * 0.8, i * 0.8 + 0.7,
         "Ja, det er fint, tak." if i % 2 else "Hvordan kan jeg hjælpe dig?")
        for i in range(100_000)]
write("json-100000-segments.json", transcript(80_000.0, many))

cue = "00:00:01.000 --> 00:00:02.000\n<v Anna>Goddag\n\n"
with open(f"{d}/vtt-cue-at-10000-hours.vtt", "w") as f:
    f.write("WEBVTT\n\n" + cue + "10000:00:00.000 --> 10000:00:01.000\n<v Bo>Hej\n")
with open(f"{d}/vtt-cue-at-1000-hours.vtt", "w") as f:
    f.write("WEBVTT\n\n" + cue + "1000:00:00.000 --> 1000:00:01.000\n<v Bo>Hej\n")
with open(f"{d}/vtt-10MB-of-amp.vtt", "w") as f:
    f.write("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>" + "&" * 10_000_000 + "\n")
with open(f"{d}/vtt-100001-cues.vtt", "w") as f:
    f.write("WEBVTT\n\n" + cue * 100_001)
with open(f"{d}/txt-10MB-one-line.txt", "w") as f:
    f.write("Anna: " + "ord " * 2_600_000 + "\n")
PY

# A batch folder: a good transcript, a hostile one, a symlink loop, a link back up, a named pipe.
archive="$tmp/archive"
mkdir -p "$archive/sub"
cp fixtures/transcripts/talk-turns-2spk.json "$archive/sub/"
cp "$in/vtt-cue-at-1000-hours.vtt" "$archive/"
ln -s . "$archive/loop"
ln -s .. "$archive/sub/up"
mkfifo "$archive/pipe.vtt"

status=0
printf '%-28s %-10s %10s %12s\n' case exit seconds "peak memory"
# check CASE EXPECTED-EXIT COMMAND...
check() {
    local name="$1" want="$2"
    shift 2
    local code=0
    /usr/bin/time -o "$tmp/time" -f "%e %M" timeout 60 "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
    # /usr/bin/time writes "Command exited with non-zero status N" before the figures.
    local secs kb
    secs="$(tail -1 "$tmp/time" | cut -d' ' -f1)"
    kb="$(tail -1 "$tmp/time" | cut -d' ' -f2)"
    local verdict=ok
    if [[ $code -eq 124 ]]; then
        verdict="TIMED OUT"
    elif [[ $want == 12 && $code == 8 ]]; then
        verdict="skipped (no Whisper model installed)"
    elif [[ $code == 134 ]]; then
        verdict="FAILED: aborted (out of memory?)"
    elif [[ $code == 101 ]]; then
        verdict="FAILED: panicked"
    elif [[ $code != "$want" ]]; then
        verdict="FAILED: $(grep -m1 -i error "$tmp/err" || tail -1 "$tmp/err")"
    elif awk -v s="$secs" -v m="$max_s" 'BEGIN { exit !(s > m) }'; then
        verdict="FAILED: more than $max_s s"
    elif [[ $kb -gt $max_kb ]]; then
        verdict="FAILED: more than $max_kb KB"
    fi
    [[ $verdict == ok || $verdict == skipped* ]] || status=1
    printf '%-28s %-10s %8s s %9s KB  %s\n' "$name" "$code ($want)" "$secs" "$kb" "$verdict"
}

for f in json-segment-1e9.json json-duration-1e9.json json-speech-1e9.json json-times-1e15.json \
    json-duration-1e300.json vtt-cue-at-10000-hours.vtt vtt-cue-at-1000-hours.vtt \
    txt-10MB-one-line.txt vtt-10MB-of-amp.vtt vtt-100001-cues.vtt; do
    check "${f%.*}" 4 "$medlyt" analyze --quiet "$in/$f" -o "$tmp/report-${f%.*}"
done
check json-100000-segments 0 "$medlyt" analyze --quiet "$in/json-100000-segments.json" \
    -o "$tmp/report-max"
check batch-symlink-loop 12 "$medlyt" batch --quiet -o "$tmp/batch" "$archive"
check batch-symlink-loop-rerun 12 "$medlyt" batch --quiet -o "$tmp/batch" "$archive"
check batch-glob-symlink-loop 12 "$medlyt" batch --quiet -o "$tmp/batch-glob" "$archive/**/*.vtt"
if [[ -f "$tmp/batch/failures.jsonl" ]]; then
    echo "failures.jsonl of batch-symlink-loop:"
    sed 's/^/  /' "$tmp/batch/failures.jsonl"
    echo
fi
if [[ $status -eq 0 ]]; then
    echo "check-limits: every case finished within $max_s s and $max_kb KB"
else
    echo "check-limits: some cases failed" >&2
fi
exit $status
