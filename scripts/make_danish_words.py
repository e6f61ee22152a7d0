#!/usr/bin/env python3
"""Builds word lists spoken by a real Danish voice, for the word error rate in Danish.

    make_danish_words.py SOUNDS_DIR OUT_DIR

SOUNDS_DIR is ktuberling's Danish sound folder (Debian `ktuberling-data`,
usr/share/ktuberling/sounds/da/): one recorded person saying single nouns (GPL). Only the files
whose names spell the word are used (71 of them; "oe" is "ø", "aa" "å", "ae" "æ" as in the
table below). They are shuffled with a fixed seed and laid end to end, 9 words per list with
0.3-0.8 s of quiet between them (the last list 8), into 8 lists: 4 to tune on (tune-1..4), 4 kept for the test
(test-1..4), no word in both. Each list gets OUT_DIR/<split>/da-words-<split>-N.wav (16 kHz
mono), -8k-mulaw.wav (telephone G.711) and .json (eval_wer.py's truth: one utterance per word).

Needs sox (with Ogg Vorbis) on PATH; Python standard library otherwise.
"""

import array
import json
import os
import random
import subprocess
import sys
import tempfile
import wave

# file name (without .ogg) -> the word said
WORDS = {
    "blomst": "blomst", "bold": "bold", "briller": "briller", "egypt_aesel": "æsel",
    "egypt_bro": "bro", "egypt_broend": "brønd", "egypt_bue": "bue", "egypt_dreng": "dreng",
    "egypt_fugle": "fugle", "egypt_graes": "græs", "egypt_kamel": "kamel",
    "egypt_kvinde": "kvinde", "egypt_mand": "mand", "egypt_oase": "oase", "egypt_palme": "palme",
    "egypt_pige": "pige", "egypt_pyramide": "pyramide", "egypt_sfinx": "sfinx",
    "egypt_soejle": "søjle", "egypt_vej": "vej", "egypt_vogn": "vogn", "frakke": "frakke",
    "haar": "hår", "hat": "hat", "moon_astronaut": "astronaut", "moon_hotel": "hotel",
    "moon_jorden": "jorden", "moon_maanefartoej": "månefartøj", "moon_planet": "planet",
    "moon_radar": "radar", "moon_raket": "raket", "moon_rumvaesen": "rumvæsen",
    "moon_satellit": "satellit", "moon_skilt": "skilt", "moon_stjerne": "stjerne",
    "moon_stjerneskud": "stjerneskud", "moon_ufo": "ufo", "moon_uhyre": "uhyre", "mund": "mund",
    "naese": "næse", "nederdel": "nederdel", "oeje": "øje", "oejenbryn": "øjenbryn",
    "oere": "øre", "oerering": "ørering", "overskaeg": "overskæg", "paraply": "paraply",
    "pizza_agurk": "agurk", "pizza_ananas": "ananas", "pizza_ansjos": "ansjos",
    "pizza_bacon": "bacon", "pizza_broccoli": "broccoli", "pizza_champignon": "champignon",
    "pizza_loeg": "løg", "pizza_oliven": "oliven", "pizza_oregano": "oregano", "pizza_ost": "ost",
    "pizza_pebber": "pebber", "pizza_pebberoni": "pebberoni", "pizza_salami": "salami",
    "pizza_tomat": "tomat", "shorts": "shorts", "sko": "sko", "slips": "slips",
    "sloejfe": "sløjfe", "solbriller": "solbriller", "stok": "stok", "tv_bil": "bil",
    "tv_cykel": "cykel", "tv_cyklist": "cyklist", "tv_tog": "tog",
}
PER_LIST = 9
LISTS = 8
SEED = 20261201
RATE = 16000
# A word's sound: where the level first and last comes within this much of its peak (dB).
SOUND_DB = 40.0


def pcm16(path, tmp):
    """The file as 16 kHz mono 16-bit samples (a list of ints), through sox."""
    out = os.path.join(tmp, os.path.basename(path) + ".wav")
    subprocess.run(["sox", path, "-r", str(RATE), "-c", "1", "-b", "16", out, "gain", "-n", "-3"],
                   check=True, capture_output=True)
    with wave.open(out, "rb") as w:
        raw = w.readframes(w.getnframes())
    return list(memoryview(raw).cast("h"))


def sound_span(x):
    """First and last sample of 10 ms frames within SOUND_DB of the loudest frame."""
    hop = RATE // 100
    levels = []
    for i in range(0, max(len(x) - hop, 1), hop):
        frame = x[i:i + hop]
        levels.append(sum(v * v for v in frame) / max(len(frame), 1))
    peak = max(levels) if levels else 0.0
    floor = peak * 10 ** (-SOUND_DB / 10)
    on = [i for i, v in enumerate(levels) if v > floor and v > 0]
    if not on:
        return 0, len(x)
    return on[0] * hop, min(len(x), (on[-1] + 1) * hop)


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(array.array("h", samples).tobytes())


def build_list(name, split, words, clips, rng, out_dir):
    audio, utterances = [0] * int(0.5 * RATE), []
    for stem in words:
        x = clips[stem]
        a, b = sound_span(x)
        start = len(audio) + a
        utterances.append({"channel": 0, "role": "employee", "start": round(start / RATE, 3),
                           "end": round((len(audio) + b) / RATE, 3), "text": WORDS[stem],
                           "source": f"ktuberling-data sounds/da/{stem}.ogg"})
        audio.extend(x)
        audio.extend([0] * int(rng.uniform(0.3, 0.8) * RATE))
    audio.extend([0] * int(0.3 * RATE))
    os.makedirs(out_dir, exist_ok=True)
    mono = f"{name}.wav"
    mulaw = f"{name}-8k-mulaw.wav"
    write_wav(os.path.join(out_dir, mono), audio)
    subprocess.run(["sox", os.path.join(out_dir, mono), "-r", "8000", "-e", "mu-law",
                    os.path.join(out_dir, mulaw)], check=True, capture_output=True)
    truth = {"name": name, "language": "da", "split": split, "duration": round(len(audio) / RATE, 3),
             "files": {"mono": mono, "mulaw": mulaw},
             "source": "Debian ktuberling-data: one real Danish voice saying single nouns (GPL)",
             "utterances": utterances}
    with open(os.path.join(out_dir, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sounds, out = sys.argv[1], sys.argv[2]
    missing = [s for s in WORDS if not os.path.isfile(os.path.join(sounds, f"{s}.ogg"))]
    if missing:
        sys.exit(f"{sounds}: missing {len(missing)} of the word files, e.g. {missing[0]}.ogg")
    stems = sorted(WORDS)
    rng = random.Random(SEED)
    rng.shuffle(stems)
    with tempfile.TemporaryDirectory() as tmp:
        clips = {s: pcm16(os.path.join(sounds, f"{s}.ogg"), tmp) for s in stems}
    for k in range(LISTS):
        split = "tune" if k < LISTS // 2 else "test"
        n = k % (LISTS // 2) + 1
        words = stems[k * PER_LIST:(k + 1) * PER_LIST]
        build_list(f"da-words-{split}-{n}", split, words, clips, rng, os.path.join(out, split))
    print(f"{LISTS} lists of {PER_LIST} words in {out}/tune and {out}/test")


if __name__ == "__main__":
    main()
