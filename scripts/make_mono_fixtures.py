#!/usr/bin/env python3
"""Mix scripted calls into mono diarization fixtures for medlyt, with exact ground truth.

Usage:
    make_mono_fixtures.py SCRIPT OUTDIR

Builds the call with scripts/make_fixtures.py (into a temporary folder), then mixes its
stereo channels into one: the citizen channel gets CITIZEN_GAIN_DB, brown noise of NOISE_DBFS
RMS is added (fixed seed), and the sum is written as OUTDIR/<name>.wav (16 kHz mono, 16-bit)
with the truth as OUTDIR/<name>.json (schema of fixtures/README.md; files.stereo and
files.mulaw are empty because only the mono mix is kept; generator.noise_dbfs is the added
noise). Mix settings per call are in MIXES. Python standard library only.
"""

import array
import json
import math
import os
import subprocess
import sys
import tempfile
import wave
import zlib

# name: (citizen gain in dB, brown noise RMS in dBFS or None)
MIXES = {
    "da-same-gender": (0.0, None),
    "da-quiet-citizen": (-10.0, None),
    "da-noisy-overlap": (0.0, -35.0),
}


def read_stereo(path):
    with wave.open(path, "rb") as w:
        frames = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        frames.byteswap()
    return [x / 32768 for x in frames[0::2]], [x / 32768 for x in frames[1::2]]


def brown_noise(n, dbfs, seed):
    """Leaky-integrated xorshift32 noise scaled to `dbfs` RMS."""
    state = seed & 0xFFFFFFFF or 1
    out, acc = [], 0.0
    for _ in range(n):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        acc = 0.995 * acc + (state / 0xFFFFFFFF - 0.5)
        out.append(acc)
    mean = sum(out) / n
    rms = math.sqrt(sum((x - mean) ** 2 for x in out) / n)
    scale = 10 ** (dbfs / 20) / rms
    return [(x - mean) * scale for x in out]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    script, outdir = argv[1], argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(here, "make_fixtures.py"), "build", script, tmp],
                       check=True, stdout=subprocess.DEVNULL)
        truths = [f for f in os.listdir(tmp) if f.endswith(".json")]
        if len(truths) != 1:
            raise RuntimeError(f"expected one truth file from {script}")
        with open(os.path.join(tmp, truths[0]), encoding="utf-8") as f:
            doc = json.load(f)
        left, right = read_stereo(os.path.join(tmp, doc["files"]["stereo"]))
    name = doc["name"]
    if name not in MIXES:
        raise RuntimeError(f"no mix settings for {name} in MIXES")
    gain_db, noise_dbfs = MIXES[name]
    gain = 10 ** (gain_db / 20)
    mono = [(l + gain * r) / 2 for l, r in zip(left, right)]
    if noise_dbfs is not None:
        noise = brown_noise(len(mono), noise_dbfs, zlib.crc32(name.encode()))
        mono = [m + x for m, x in zip(mono, noise)]
        doc["generator"]["noise_dbfs"] = noise_dbfs
    pcm = array.array("h", (max(-32768, min(32767, math.floor(x * 32768 + 0.5))) for x in mono))
    if sys.byteorder == "big":
        pcm.byteswap()
    doc["files"] = {"stereo": "", "mono": f"{name}.wav", "mulaw": ""}
    with wave.open(os.path.join(outdir, f"{name}.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    with open(os.path.join(outdir, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"built {name}: {doc['duration']} s, citizen {gain_db:+.0f} dB, noise {noise_dbfs} dBFS, "
          f"talk share employee {doc['talk_share']['employee']}, overlap {doc['overlap']} s, "
          f"interruptions {len(doc['interruptions'])}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (RuntimeError, subprocess.CalledProcessError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
