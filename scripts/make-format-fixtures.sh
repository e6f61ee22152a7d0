#!/usr/bin/env bash
# Generates the tiny audio fixtures that medlyt-audio's tests read:
#   fixtures/formats/  one short file per supported format (sine tones: 440 Hz on the
#                      left/mono channel, 880 Hz on the right), amplitude 0.5 (-9.03 dBFS RMS)
#   fixtures/bad/      files that must be rejected with a specific error
# Deterministic: sox runs with -R (repeatable) and -D (no dither); random bytes use a fixed seed.
# Needs sox (with mp3, flac, vorbis and gsm support) and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fmt="$root/fixtures/formats"
bad="$root/fixtures/bad"
mkdir -p "$fmt" "$bad"

# sox options shared by every call: repeatable, no dither, no clipping warnings in the output.
S=(sox -R -D -V1)
dur=1.0

stereo() { "${S[@]}" -n "$@" synth "$dur" sine 440 sine 880 vol 0.5; }
mono() { "${S[@]}" -n "$@" synth "$dur" sine 440 vol 0.5; }

stereo -r 44100 -c 2 -b 16 -e signed-integer "$fmt/pcm16-44k1-stereo-440l-880r.wav"
stereo -r 16000 -c 2 -b 16 -e signed-integer "$fmt/pcm16-16k-stereo-440l-880r.wav"
stereo -r 8000 -c 2 -e mu-law "$fmt/mulaw-8k-stereo.wav"
mono -r 8000 -c 1 -e mu-law "$fmt/mulaw-8k-mono.wav"
mono -r 8000 -c 1 -e a-law "$fmt/alaw-8k-mono.wav"
mono -r 8000 -c 1 -b 16 -e signed-integer "$fmt/pcm16-8k-mono.wav"
mono -r 48000 -c 1 -b 24 -e signed-integer "$fmt/pcm24-48k-mono.wav"
mono -r 32000 -c 1 -b 32 -e signed-integer "$fmt/pcm32-32k-mono.wav"
mono -r 22050 -c 1 -b 32 -e floating-point "$fmt/f32-22k05-mono.wav"
mono -r 11025 -c 1 -b 8 -e unsigned-integer "$fmt/pcm8-11k025-mono.wav"
stereo -r 44100 -c 2 -C 64 "$fmt/mp3-44k1-stereo.mp3"
stereo -r 48000 -c 2 -b 16 "$fmt/flac-48k-stereo.flac"
mono -r 44100 -c 1 -C 3 "$fmt/vorbis-44k1-mono.ogg"

# WAVE_FORMAT_EXTENSIBLE: sox writes it for more than two channels; three channels, 440/880/1320 Hz.
"${S[@]}" -n -r 16000 -c 3 -b 16 -e signed-integer "$fmt/pcm16ext-16k-3ch-440-880-1320.wav" \
  synth "$dur" sine 440 sine 880 sine 1320 vol 0.5

# Bad inputs.
: > "$bad/empty-0-bytes.wav"
python3 - "$bad" <<'PY'
import random, struct, sys, wave, math
bad = sys.argv[1]
# A valid WAV header with no samples.
with wave.open(f"{bad}/header-only-no-samples.wav", "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
# Header says 2 s of 16 kHz mono PCM16, the data stops after 0.3 s.
rate, total, kept = 16000, 32000, 4800
samples = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(kept))
header = b"RIFF" + struct.pack("<I", 36 + total * 2) + b"WAVE"
header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
header += b"data" + struct.pack("<I", total * 2)
open(f"{bad}/truncated-pcm16.wav", "wb").write(header + samples)
# Text with a .wav name.
open(f"{bad}/not-audio.wav", "w").write("This is not a recording.\nJust some notes about a call.\n" * 20)
# Random bytes with an .mp3 name (fixed seed).
open(f"{bad}/random-bytes.mp3", "wb").write(random.Random(20261123).randbytes(8192))
PY
"${S[@]}" -n -r 8000 -c 1 -e ima-adpcm "$bad/ima-adpcm.wav" synth 0.5 sine 440 vol 0.5
"${S[@]}" -n -r 8000 -c 1 -e ms-adpcm "$bad/ms-adpcm.wav" synth 0.5 sine 440 vol 0.5
"${S[@]}" -n -r 8000 -c 1 -e gsm-full-rate "$bad/gsm.wav" synth 0.5 sine 440 vol 0.5

du -ch "$fmt" "$bad" | tail -1
