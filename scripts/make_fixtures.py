#!/usr/bin/env python3
"""Build scripted two-party call fixtures for medlyt, with exact ground truth.

Each call script (fixtures/scripts/*.txt, format in fixtures/README.md) is
rendered utterance by utterance with espeak-ng, resampled to 16 kHz with sox,
trimmed to its first and last audible sample and placed on its party's channel
(left = employee, right = citizen).  The truth file is computed from the sample
positions, so it is exact by construction.

Usage:
    make_fixtures.py build SCRIPT OUTDIR    write OUTDIR/<name>{.wav,-mono.wav,-8k-mulaw.wav,.json}
    make_fixtures.py verify TRUTH.json      measure the files with sox and print a summary

Python standard library only; needs espeak-ng and sox on PATH.
"""

import array
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import wave
import zlib

RATE = 16000
ROLES = ("employee", "citizen")  # channel 0 (left), channel 1 (right)
PEAK = 0.5  # every utterance is normalised to -6 dBFS peak
TRIM_REL = 0.01  # trim threshold: 1 % of the utterance peak (-40 dB)
BLEED_DB = -26.0
NOISE_DBFS = -60.0
DEFAULT_RATE_WPM = 155
DEFAULT_TAIL = 0.8
# Keep tagged events unambiguous under the common rule "overlap over 0.5 s = interruption".
MAX_BACKCHANNEL = 0.5
MIN_INTERRUPT_OVERLAP = 0.5
KINDS = {None: "speech", "backchannel": "backchannel", "interrupt": "interruption", "cut": "speech"}

LINE_RE = re.compile(
    r"^(employee|citizen)\s+([+-]?\d+(?:\.\d+)?)\s+(?:\[(backchannel|interrupt|cut)\]\s+)?(\S.*)$"
)


class ScriptError(Exception):
    """A problem in a call script, with its file and line."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")


def parse_script(path):
    """Read a call script into a header dict and a list of utterance dicts."""
    header = {"voices": {}, "rate": DEFAULT_RATE_WPM, "tail": DEFAULT_TAIL}
    lines = []
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, start=1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            if text.startswith("@"):
                parts = text[1:].split()
                key, args = parts[0], parts[1:]
                if key in ("name", "language") and len(args) == 1:
                    header[key] = args[0]
                elif key == "voice" and len(args) == 2 and args[0] in ROLES:
                    header["voices"][args[0]] = args[1]
                elif key == "rate" and len(args) == 1 and args[0].isdigit():
                    header["rate"] = int(args[0])
                elif key == "tail" and len(args) == 1:
                    header["tail"] = float(args[0])
                else:
                    raise ScriptError(path, no, f"bad header line: {text}")
                continue
            m = LINE_RE.match(text)
            if not m:
                raise ScriptError(path, no, f"cannot parse utterance line: {text}")
            role, time, tag, words = m.groups()
            words, sep, say = (w.strip() for w in words.partition(" | "))
            if not words or (sep and not say):
                raise ScriptError(path, no, f"empty text or pronunciation: {text}")
            lines.append({"line": no, "role": role, "time": time, "tag": tag, "text": words,
                          "say": say or words})
    for key in ("name", "language"):
        if key not in header:
            raise ScriptError(path, 0, f"missing @{key}")
    if header["language"] not in ("da", "en"):
        raise ScriptError(path, 0, "language must be da or en")
    for role in ROLES:
        if role not in header["voices"]:
            raise ScriptError(path, 0, f"missing @voice {role}")
    if not lines:
        raise ScriptError(path, 0, "no utterances")
    if lines[0]["time"][0] in "+-":
        raise ScriptError(path, lines[0]["line"], "the first utterance needs an absolute time")
    return header, lines


def render(text, voice, wpm, tmpdir):
    """Speak `text` with espeak-ng and return it trimmed, as 16 kHz floats with peak PEAK."""
    wav = os.path.join(tmpdir, "u.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", wav, text], check=True)
    raw = subprocess.run(
        ["sox", "-R", "-D", wav, "-t", "raw", "-e", "signed", "-b", "16", "-L", "-c", "1",
         "-r", str(RATE), "-"],
        check=True, capture_output=True,
    ).stdout
    pcm = array.array("h")
    pcm.frombytes(raw)
    if sys.byteorder == "big":
        pcm.byteswap()
    peak = max((abs(x) for x in pcm), default=0)
    if peak == 0:
        raise RuntimeError(f"espeak-ng produced silence for: {text}")
    limit = TRIM_REL * peak
    first = next(i for i, x in enumerate(pcm) if abs(x) > limit)
    last = max(i for i, x in enumerate(pcm) if abs(x) > limit)
    gain = PEAK / peak
    return [x * gain for x in pcm[first:last + 1]]


def place(path, header, lines, tmpdir):
    """Render and place every utterance; each gets its sample `start`, `end` and `audio`."""
    placed = []
    latest_end = 0  # the moment (in samples) the last still-running utterance ends
    for u in lines:
        audio = render(u["say"], header["voices"][u["role"]], header["rate"], tmpdir)
        offset = round(float(u["time"]) * RATE)
        start = latest_end + offset if u["time"][0] in "+-" else offset
        if placed and start <= placed[-1]["start"]:
            raise ScriptError(path, u["line"], "starts at or before the start of the previous utterance")
        end = start + len(audio)
        placed.append({**u, "start": start, "end": end, "audio": audio})
        latest_end = max(latest_end, end)
    check_rules(path, placed)
    return placed


def check_rules(path, placed):
    """Reject scripts whose tags do not match what was actually placed."""
    for i, u in enumerate(placed):
        others = [o for o in placed if o["role"] != u["role"]]
        own = [o for o in placed if o["role"] == u["role"] and o is not u]
        if any(o["start"] < u["end"] and u["start"] < o["end"] for o in own):
            raise ScriptError(path, u["line"], "overlaps another utterance on the same channel")
        if u["tag"] == "backchannel":
            if not any(o["start"] < u["start"] and u["end"] < o["end"] for o in others):
                raise ScriptError(path, u["line"], "backchannel is not inside the other's utterance")
            if u["end"] - u["start"] > MAX_BACKCHANNEL * RATE:
                raise ScriptError(path, u["line"], f"backchannel lasts over {MAX_BACKCHANNEL} s")
        if u["tag"] == "interrupt":
            victim = interrupted(u, placed)
            if victim is None:
                raise ScriptError(path, u["line"], "interruption overlaps no utterance of the other")
            if victim["end"] >= u["end"]:
                raise ScriptError(path, u["line"], "the interrupted party does not yield")
            if victim["end"] - u["start"] < MIN_INTERRUPT_OVERLAP * RATE:
                raise ScriptError(path, u["line"], f"interruption overlaps under {MIN_INTERRUPT_OVERLAP} s")
        if u["tag"] == "cut":
            later = [o for o in placed[i + 1:] if o["tag"] == "interrupt" and o["role"] != u["role"]]
            if not later or interrupted(later[0], placed) is not u:
                raise ScriptError(path, u["line"], "[cut] utterance is not cut by an [interrupt]")


def interrupted(u, placed):
    """The other party's utterance that `u` starts inside, if any."""
    for o in placed:
        if o["role"] != u["role"] and o["start"] < u["start"] < o["end"]:
            return o
    return None


def noise_source(seed):
    """Deterministic triangular noise with RMS at NOISE_DBFS (xorshift32)."""
    state = seed & 0xFFFFFFFF or 1
    scale = 10 ** (NOISE_DBFS / 20) * math.sqrt(6)  # u1 + u2 - 1 has rms 1/sqrt(6)

    def nxt():
        nonlocal state
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        return state / 0xFFFFFFFF

    while True:
        yield (nxt() + nxt() - 1.0) * scale


def mix(name, placed, total):
    """Build the two clean channels, then the stereo (with bleed and noise) and mono floats."""
    clean = [[0.0] * total, [0.0] * total]
    for u in placed:
        ch = clean[ROLES.index(u["role"])]
        for k, x in enumerate(u["audio"]):
            ch[u["start"] + k] += x
    bleed = 10 ** (BLEED_DB / 20)
    stereo = []
    for c in (0, 1):
        own, other = clean[c], clean[1 - c]
        noise = noise_source(zlib.crc32(f"{name}/{c}".encode()))
        stereo.append([own[k] + bleed * other[k] + next(noise) for k in range(total)])
    mono = [(a + b) / 2 for a, b in zip(stereo[0], stereo[1])]
    return stereo, mono


def pcm16(samples):
    """Quantise floats in [-1, 1) to 16-bit little-endian PCM (round half up, clipped)."""
    out = array.array("h", (max(-32768, min(32767, math.floor(x * 32768 + 0.5))) for x in samples))
    if sys.byteorder == "big":
        out.byteswap()
    return out


def write_wav(path, channels):
    """Write 16 kHz 16-bit PCM with one or two channels."""
    data = [pcm16(c) for c in channels]
    if len(data) == 2:
        frames = array.array("h", bytes(4 * len(data[0])))
        frames[0::2] = data[0]
        frames[1::2] = data[1]
    else:
        frames = data[0]
    with wave.open(path, "wb") as w:
        w.setnchannels(len(data))
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames.tobytes())


def union(intervals):
    """Merge sample intervals into a sorted list of disjoint ones."""
    merged = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def secs(samples):
    """Seconds, 3 decimals, from a 16 kHz sample count."""
    return round(samples / RATE, 3)


def truth(header, placed, total, files):
    """The ground-truth document for one call."""
    spans = {r: union([(u["start"], u["end"]) for u in placed if u["role"] == r]) for r in ROLES}
    talk = {r: sum(e - s for s, e in spans[r]) for r in ROLES}
    overlap = sum(
        max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in spans["employee"] for s2, e2 in spans["citizen"]
    )
    both = union(spans["employee"] + spans["citizen"])
    gaps = [(a[1], b[0]) for a, b in zip(both, both[1:])]
    longest = max(gaps, key=lambda g: g[1] - g[0], default=(0, 0))
    return {
        "name": header["name"],
        "language": header["language"],
        "duration": secs(total),
        "sample_rate": RATE,
        "files": files,
        "generator": {"espeak_ng": tool_version(["espeak-ng", "--version"]),
                      "speaking_rate_wpm": header["rate"], "bleed_db": BLEED_DB,
                      "noise_dbfs": NOISE_DBFS},
        "channels": [{"channel": c, "role": r, "voice": header["voices"][r]} for c, r in enumerate(ROLES)],
        "utterances": [
            {"channel": ROLES.index(u["role"]), "role": u["role"], "start": secs(u["start"]),
             "end": secs(u["end"]), "start_sample": u["start"], "end_sample": u["end"],
             "text": u["text"], "kind": KINDS[u["tag"]]}
            for u in placed
        ],
        "talk_time": {r: secs(talk[r]) for r in ROLES},
        "talk_share": {r: round(talk[r] / (talk["employee"] + talk["citizen"]), 3) for r in ROLES},
        "overlap": secs(overlap),
        "longest_silence": {"start": secs(longest[0]), "end": secs(longest[1]),
                            "duration": secs(longest[1] - longest[0])},
        "interruptions": [
            {"at": secs(u["start"]), "by": u["role"], "of": interrupted(u, placed)["role"]}
            for u in placed if u["tag"] == "interrupt"
        ],
        "backchannels": [{"at": secs(u["start"]), "by": u["role"]} for u in placed if u["tag"] == "backchannel"],
    }


def tool_version(cmd):
    """The first version number in the output of `cmd`."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"\d+\.\d+(?:\.\d+)?", out)
    return m.group(0) if m else "unknown"


def build(script, outdir):
    header, lines = parse_script(script)
    name = header["name"]
    with tempfile.TemporaryDirectory() as tmpdir:
        placed = place(script, header, lines, tmpdir)
    total = max(u["end"] for u in placed) + round(header["tail"] * RATE)
    total += total % 2  # even, so the 8 kHz file has exactly half the frames
    stereo, mono = mix(name, placed, total)
    files = {"stereo": f"{name}.wav", "mono": f"{name}-mono.wav", "mulaw": f"{name}-8k-mulaw.wav"}
    stereo_path = os.path.join(outdir, files["stereo"])
    write_wav(stereo_path, stereo)
    write_wav(os.path.join(outdir, files["mono"]), [mono])
    subprocess.run(["sox", "-R", "-D", stereo_path, "-r", "8000", "-e", "mu-law",
                    os.path.join(outdir, files["mulaw"])], check=True)
    doc = truth(header, placed, total, files)
    with open(os.path.join(outdir, f"{name}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"built {name}: {doc['duration']} s, {len(placed)} utterances")


def sox_rms(path, channel, start=None, end=None):
    """RMS amplitude of one channel (1-based) of `path`, optionally of [start, end) seconds."""
    cmd = ["sox", path, "-n"]
    if start is not None:
        cmd += ["trim", f"{start}", f"={end}"]
    cmd += ["remix", str(channel), "stat"]
    err = subprocess.run(cmd, check=True, capture_output=True, text=True).stderr
    m = re.search(r"RMS\s+amplitude:\s+([0-9.eE+-]+)", err)
    if not m:
        raise RuntimeError(f"no RMS from sox for {path}")
    return float(m.group(1))


def solo_stretches(doc, role):
    """Intervals (seconds) where only `role` speaks, longest first."""
    own = union([(u["start_sample"], u["end_sample"]) for u in doc["utterances"] if u["role"] == role])
    other = union([(u["start_sample"], u["end_sample"]) for u in doc["utterances"] if u["role"] != role])
    solo = []
    for s, e in own:
        cur = s
        for os_, oe in other:
            if oe <= cur or os_ >= e:
                continue
            if os_ > cur:
                solo.append((cur, os_))
            cur = max(cur, oe)
        if cur < e:
            solo.append((cur, e))
    solo.sort(key=lambda iv: iv[0] - iv[1])
    return [(s / RATE, e / RATE) for s, e in solo]


def verify(truth_path):
    """Measure the three files with sox and print durations, shares and the bleed level."""
    with open(truth_path, encoding="utf-8") as f:
        doc = json.load(f)
    base = os.path.dirname(truth_path)
    print(f"== {doc['name']} ({doc['language']})")
    for key in ("stereo", "mono", "mulaw"):
        path = os.path.join(base, doc["files"][key])
        info = subprocess.run(["sox", "--i", path], check=True, capture_output=True, text=True).stdout
        fields = dict(
            (k.strip(), v.strip()) for k, v in (l.split(":", 1) for l in info.splitlines() if ":" in l)
        )
        print(f"  {doc['files'][key]}: {fields['Channels']} ch, {fields['Sample Rate']} Hz, "
              f"{fields['Sample Encoding']}, {fields['Duration'].split(' =')[0]}")
    shares = ", ".join(f"{r} {doc['talk_time'][r]} s ({100 * doc['talk_share'][r]:.1f} %)" for r in ROLES)
    print(f"  duration {doc['duration']} s; talk {shares}")
    print(f"  overlap {doc['overlap']} s; longest silence {doc['longest_silence']['duration']} s; "
          f"interruptions {len(doc['interruptions'])}; backchannels {len(doc['backchannels'])}")
    stereo = os.path.join(base, doc["files"]["stereo"])
    quiet = doc["longest_silence"]
    noise = [sox_rms(stereo, c, quiet["start"], quiet["end"]) for c in (1, 2)]
    print(f"  noise floor in the longest silence: ch1 {20 * math.log10(noise[0]):.1f} dBFS, "
          f"ch2 {20 * math.log10(noise[1]):.1f} dBFS")
    for c, role in enumerate(ROLES):
        s, e = solo_stretches(doc, role)[0]
        own = sox_rms(stereo, c + 1, s, e)
        leak = sox_rms(stereo, 2 - c, s, e)
        clean = math.sqrt(max(leak ** 2 - noise[1 - c] ** 2, 1e-12))
        print(f"  bleed of {role} ({s:.2f}-{e:.2f} s): ch{c + 1} rms {own:.5f}, ch{2 - c} rms "
              f"{leak:.5f}: {20 * math.log10(leak / own):.1f} dB, "
              f"{20 * math.log10(clean / own):.1f} dB without the noise floor")
    for c in (1, 2):
        print(f"  ch{c} whole-file rms {sox_rms(stereo, c):.5f}")


def main(argv):
    if len(argv) == 4 and argv[1] == "build":
        build(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "verify":
        verify(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (ScriptError, RuntimeError, ValueError, subprocess.CalledProcessError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
