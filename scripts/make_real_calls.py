#!/usr/bin/env python3
"""Build mono call recordings from recorded and neural voices, with exact ground truth.

Usage:
    make_real_calls.py [--src DIR] [--out DIR] [--only NAME ...]   build the evaluation set
    make_real_calls.py --fixtures [--src DIR]                        rebuild fixtures/real/
    make_real_calls.py --list                                        list the planned recordings
    make_real_calls.py --speakers [--src DIR]                        median pitch of each source voice

The source voices are unpacked into --src (default .cache/real-src) by
scripts/make-real-calls.sh; the recordings go to --out/tune, --out/test and --out/long (default
.cache/real-calls). Each recording is NAME.wav (mono; 16 kHz PCM 16-bit, or 8 kHz G.711
mu-law / A-law for the telephone variants) and NAME.json, the truth in the schema of
fixtures/README.md with the extra keys "speakers" and "split" (see fixtures/real/README.md).

Every clip is cut to its real speech extent before it is placed (10 ms frames): speech is where
a frame's energy is within 30 dB of the clip's loudest frame, extended by up to 0.1 s over
neighbouring frames within 40 dB (soft onsets, final fricatives), and never below 8 dB above
the clip's noise floor; the rest of a decay (the Dutch recordings carry a reverberation tail of
about 0.4 s) is audio but not speech. A pause of 0.3 s or more inside a clip splits it into
several utterances. Truth times are therefore the speech itself, not the clip boundaries.

Dependencies: numpy, scipy, soundfile; onnxruntime + kokoro-onnx for the neural voices
(installed into .cache/real-venv by the wrapper). Deterministic: every random choice comes from
a generator seeded with the CRC-32 of the recording's name, and synthesised clips are cached.
"""

import argparse
import dataclasses
import gzip
import hashlib
import io
import json
import os
import re
import struct
import sys
import zlib
from math import gcd

import numpy as np
import soundfile as sf
from scipy import signal

SR = 16000  # working rate; telephone variants are written at 8 kHz
HOP = SR // 100  # 10 ms frames
BELOW_PEAK_DB = 40.0  # sound: frames within this of the clip's loudest frame
CORE_BELOW_PEAK_DB = 30.0  # speech: frames within this, extended by EXTEND_S into sound
EXTEND_S = 0.1
ABOVE_FLOOR_DB = 8.0
SPLIT_GAP_S = 0.3
MIN_RUN_S = 0.05
MARGIN_S = 0.08  # audio kept around a clip's sound (frames within 40 dB); never speech
CLIP_LEVEL_DBFS = -26.0  # active speech level of each clip before the party gain
BACKCHANNEL_MAX_S = 0.7

ROLES = ["employee", "citizen", "other"]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


# --------------------------------------------------------------------------- audio helpers


def resample(x, sr_from, sr_to):
    if sr_from == sr_to:
        return x
    g = gcd(sr_from, sr_to)
    return signal.resample_poly(x, sr_to // g, sr_from // g)


_HP = signal.butter(4, 80.0, "highpass", fs=SR, output="sos")


def frame_db(x):
    n = len(x) // HOP
    fr = x[: n * HOP].reshape(n, HOP)
    return 10.0 * np.log10(np.mean(fr * fr, axis=1) + 1e-12)


def runs_of(mask):
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


def thresholds(e):
    """(weak, strong) frame thresholds in dB: 40 and 30 dB below the loudest frame, and never
    less than 8 dB above the noise floor (5th percentile of the 50 ms smoothed energy)."""
    peak = float(e.max())
    floor = float(np.percentile(np.convolve(e, np.ones(5) / 5, mode="same"), 5))
    weak = max(peak - BELOW_PEAK_DB, floor + ABOVE_FLOOR_DB)
    return weak, max(peak - CORE_BELOW_PEAK_DB, weak)


def merge(runs, gap):
    out = []
    for a, b in runs:
        if out and a - out[-1][1] < gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def speech_runs(x, gap_s=SPLIT_GAP_S):
    """Speech of a clean clip in 10 ms frames: ([(first, end)] runs, (first, end) of the sound).

    Speech is where a frame is within 30 dB of the loudest frame (runs closer than gap_s are
    joined), extended by at most EXTEND_S over adjacent frames within 40 dB (soft onsets and
    endings). The rest of a decay (a reverberation tail) is sound but not speech. Runs shorter
    than MIN_RUN_S are dropped. The sound is where frames are within 40 dB."""
    e = frame_db(x)
    if len(e) == 0:
        return [], None
    weak, strong = thresholds(e)
    gap = int(round(gap_s * 100))
    ext = int(round(EXTEND_S * 100))
    core = [r for r in merge(runs_of(e > strong), gap) if r[1] - r[0] >= int(round(MIN_RUN_S * 100))]
    if not core:
        return [], None
    out = []
    for i, (a, b) in enumerate(core):
        lo = core[i - 1][1] if i else 0
        hi = core[i + 1][0] if i + 1 < len(core) else len(e)
        a2, b2 = a, b
        while a2 > max(lo, a - ext) and e[a2 - 1] > weak:
            a2 -= 1
        while b2 < min(hi, b + ext) and e[b2] > weak:
            b2 += 1
        out.append((a2, b2))
    out = merge(out, gap)
    sound = np.nonzero(e > weak)[0]
    return out, (min(int(sound[0]), out[0][0]), max(int(sound[-1]) + 1, out[-1][1]))


def fade(y, n_in, n_out):
    if n_in > 0:
        y[:n_in] *= 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n_in))
    if n_out > 0:
        y[len(y) - n_out:] *= 0.5 + 0.5 * np.cos(np.linspace(0, np.pi, n_out))


@dataclasses.dataclass
class Clip:
    id: str
    speaker: str
    text: str
    audio: np.ndarray  # 16 kHz float, speech plus up to MARGIN_S of quiet on each side
    pieces: list  # [(start, end)] speech runs, samples into audio
    level: float  # active speech RMS

    @property
    def speech_s(self):
        return (self.pieces[-1][1] - self.pieces[0][0]) / SR


def prepare(x, sr, cid, speaker, text):
    """Mono, 16 kHz, 80 Hz high-pass, cut to its sound; None if there is no speech.

    The clip's audio keeps MARGIN_S around its sound (so decays are not cut off); its pieces,
    the truth, are the speech runs of speech_runs()."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if len(x) < sr // 10:
        return None
    x = resample(x - x.mean(), sr, SR)
    x = signal.sosfiltfilt(_HP, x)
    runs, sound = speech_runs(x)
    if not runs:
        return None
    s0, e0 = sound[0] * HOP, min(len(x), sound[1] * HOP)
    m = int(MARGIN_S * SR)
    a, b = max(0, s0 - m), min(len(x), e0 + m)
    y = x[a:b].copy()
    fade(y, min(s0 - a, 160), min(b - e0, 160))
    pieces = [(r0 * HOP - a, min(r1 * HOP, b) - a) for r0, r1 in runs]
    sp = np.concatenate([y[p0:p1] for p0, p1 in pieces])
    level = float(np.sqrt(np.mean(sp * sp)))
    if level <= 0:
        return None
    return Clip(cid, speaker, text, y, pieces, level)


def median_f0(clip):
    """Median pitch (Hz) of the voiced 40 ms frames of a clip, by autocorrelation."""
    x = clip.audio
    n = 640
    idx = np.arange(0, len(x) - n, HOP)
    if len(idx) == 0:
        return None
    fr = np.stack([x[i: i + n] for i in idx]) * np.hanning(n)
    en = np.sum(fr * fr, axis=1)
    fr = fr[en > en.max() * 10 ** (-25 / 10)]
    spec = np.fft.rfft(fr, 2048, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :400]
    ac = ac / np.maximum(ac[:, :1], 1e-12)
    lo, hi = SR // 400, SR // 60
    lag = lo + np.argmax(ac[:, lo:hi], axis=1)
    ok = ac[np.arange(len(lag)), lag] > 0.45
    if ok.sum() < 3:
        return None
    return float(np.median(SR / lag[ok]))


def split_text(text, n):
    """Text of each of n pieces: split at sentence and clause marks when the counts match."""
    if n == 1:
        return [text]
    for pat in (r"(?<=[.!?…])\s+", r"(?<=[.!?…,;:])\s+"):
        parts = [p for p in re.split(pat, text.strip()) if p]
        if len(parts) == n:
            return parts
    return [text] + [""] * (n - 1)


# --------------------------------------------------------------------------- sources


class Sources:
    def __init__(self, src):
        self.src = os.path.abspath(src)
        self.root = os.path.join(self.src, "root")
        self._cache = {}
        self._queen = None
        self._kokoro = None
        self.versions = {}
        vf = os.path.join(self.src, "versions.json")
        if os.path.exists(vf):
            with open(vf, encoding="utf-8") as f:
                self.versions = json.load(f)

    def have(self, what):
        paths = {
            "fillets-nl": "usr/share/games/fillets-ng/sound/barrel/nl",
            "fillets-cs": "usr/share/games/fillets-ng/sound/barrel/cs",
            "queen": "usr/share/scummvm/flight-of-the-amazon-queen/queen.1c",
            "asterisk-en": "usr/share/asterisk/sounds/en_US_f_Allison",
            "asterisk-fr": "usr/share/asterisk/sounds/fr_CA_f_June",
            "asterisk-it": "usr/share/asterisk/sounds/it_IT_m_Carlo",
        }
        if what in paths:
            return os.path.exists(os.path.join(self.root, paths[what]))
        if what == "libri":
            return os.path.exists(os.path.join(self.src, "voxint/voxint/benchmark/assets/manifest.json"))
        if what == "kokoro":
            return (os.path.exists(os.path.join(self.src, "kokoro/kokoro-v1.0.int8.onnx"))
                    and os.path.exists(os.path.join(self.src, "kokoro/voices/af_heart.bin")))
        raise KeyError(what)

    def _memo(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # Fillets NG: dialogue of the small fish (font_small) and the big fish (font_big)
    FILLETS = "usr/share/games/fillets-ng"
    _DIALOG = re.compile(
        r'dialogId\("([^"]+)",\s*"([^"]*)",\s*"((?:[^"\\]|\\.)*)"\)\s*dialogStr\("((?:[^"\\]|\\.)*)"\)', re.S)

    def fillets_levels(self, lang):
        base = os.path.join(self.root, self.FILLETS, "script")
        return sorted(d for d in os.listdir(base) if os.path.exists(os.path.join(base, d, f"dialogs_{lang}.lua")))

    def fillets_lines(self, lang, level):
        """[(id, font, text, path)] of a level's voiced lines, in the order of its dialogue file."""
        def load():
            base = os.path.join(self.root, self.FILLETS)
            with open(os.path.join(base, "script", level, f"dialogs_{lang}.lua"), encoding="utf-8") as f:
                txt = f.read()
            out = []
            for lid, font, _en, text in self._DIALOG.findall(txt):
                path = os.path.join(base, "sound", level, lang, lid + ".ogg")
                if os.path.exists(path) and os.path.getsize(path) > 1000:
                    out.append((lid, font, text.replace('\\"', '"'), path))
            return out
        return self._memo(("fl", lang, level), load)

    def fillets_clip(self, lang, level, lid, font, text, path):
        def load():
            x, sr = sf.read(path, dtype="float64", always_2d=False)
            who = font.replace("font_", "")
            return prepare(x, sr, f"fillets-ng/{lang}/{level}/{lid}", f"fillets-{lang}-{who}", text)
        return self._memo(("flc", path), load)

    # Flight of the Amazon Queen: speech clips (MP3) inside queen.1c
    def queen_table(self):
        if self._queen is None:
            path = os.path.join(self.root, "usr/share/scummvm/flight-of-the-amazon-queen/queen.1c")
            with open(path, "rb") as f:
                head = f.read(16)
                if head[:4] != b"QTBL":
                    raise RuntimeError("queen.1c: no QTBL header")
                f.seek(13)
                n = struct.unpack(">H", f.read(2))[0]
                raw = f.read(21 * n)
            table = {}
            for i in range(n):
                e = raw[21 * i: 21 * i + 21]
                name = e[:12].split(b"\0")[0].decode("ascii")
                off, size = struct.unpack(">II", e[13:21])
                table[name] = (off, size)
            self._queen = (path, table)
        return self._queen

    def queen_dialogue(self, prefix):
        """Speech of one dialogue file, in node order: Joe's line (J) then the person's (P1, P2...)."""
        _, table = self.queen_table()
        pat = re.compile(rf"^{prefix}([0-9A-F]{{4}})([JP])(\d)\.SB$")
        items = []
        for name in table:
            m = pat.match(name)
            if m:
                items.append((m.group(1), 0 if m.group(2) == "J" else 1, int(m.group(3)), name))
        return [(name, "joe" if who == 0 else f"p{prefix}") for _node, who, _part, name in sorted(items)]

    def queen_joe(self):
        _, table = self.queen_table()
        return sorted(n for n in table if re.match(r"^JOE\d{5}\.SB$", n))

    def queen_clip(self, name, speaker):
        def load():
            path, table = self.queen_table()
            off, size = table[name]
            with open(path, "rb") as f:
                f.seek(off)
                data = f.read(size)
            x, sr = sf.read(io.BytesIO(data), dtype="float64")
            return prepare(x, sr, f"queen.1c/{name}", f"queen-{speaker}", "")
        return self._memo(("q", name), load)

    # Asterisk prompts (8 kHz)
    ASTERISK = {"en": ("en_US_f_Allison", "asterisk-core-sounds-en/core-sounds-en.txt.gz"),
                "fr": ("fr_CA_f_June", "asterisk-core-sounds-fr/core-sounds-fr.txt.gz"),
                "it": ("it_IT_m_Carlo", "asterisk-core-sounds-it/core-sounds-it.txt.gz")}

    def asterisk_prompts(self, lang):
        """{prompt: text} of the sentence prompts that have a transcript and a file."""
        def load():
            voice, txt = self.ASTERISK[lang]
            texts = {}
            tpath = os.path.join(self.root, "usr/share/doc", txt)
            if os.path.exists(tpath):
                with gzip.open(tpath, "rt", encoding="utf-8-sig") as f:
                    for line in f:
                        if line.startswith(";") or ":" not in line:
                            continue
                        k, v = line.split(":", 1)
                        texts[k.strip()] = v.strip()
            out = {}
            for k, v in sorted(texts.items()):
                if not v or v.startswith("[") or "/" in k:
                    continue
                if os.path.exists(os.path.join(self.root, "usr/share/asterisk/sounds", voice, k + ".wav")):
                    out[k] = v
            return out
        return self._memo(("ap", lang), load)

    def asterisk_clip(self, lang, key, text):
        def load():
            voice = self.ASTERISK[lang][0]
            x, sr = sf.read(os.path.join(self.root, "usr/share/asterisk/sounds", voice, key + ".wav"), dtype="float64")
            return prepare(x, sr, f"asterisk/{voice}/{key}", f"asterisk-{voice}", text)
        return self._memo(("a", lang, key), load)

    # LibriSpeech test-clean clips shipped in the voxint wheel
    def libri(self):
        def load():
            base = os.path.join(self.src, "voxint/voxint/benchmark/assets")
            with open(os.path.join(base, "manifest.json"), encoding="utf-8") as f:
                man = json.load(f)
            out = {}
            for e in man["files"]:
                m = re.match(r"libri_\d+_spk(\d+)$", e["id"])
                if m:
                    out[m.group(1)] = (os.path.join(base, e["filename"]), e["reference_transcript"].lower())
            return out
        return self._memo("libri", load)

    def libri_clip(self, spk):
        def load():
            path, text = self.libri()[spk]
            x, sr = sf.read(path, dtype="float64")
            return prepare(x, sr, f"librispeech/test-clean/{spk}/{os.path.basename(path)}", f"librispeech-{spk}", text)
        return self._memo(("l", spk), load)

    # Kokoro-82M (int8 ONNX), voices from kokoro-js
    def kokoro_clip(self, voice, text, lang, speed):
        def load():
            key = hashlib.sha1(f"{voice}|{lang}|{speed:.3f}|{text}".encode()).hexdigest()[:16]
            cdir = os.path.join(self.src, "kokoro/cache", voice)
            path = os.path.join(cdir, key + ".wav")
            if not os.path.exists(path):
                audio, sr = self._kokoro_engine().create(text, voice=voice, speed=speed, lang=lang)
                os.makedirs(cdir, exist_ok=True)
                sf.write(path + ".tmp", np.asarray(audio, dtype=np.float32), sr, subtype="FLOAT", format="WAV")
                os.replace(path + ".tmp", path)
            x, sr = sf.read(path, dtype="float64")
            return prepare(x, sr, f"kokoro/{voice}/{key}", f"kokoro-{voice}", text)
        return self._memo(("k", voice, text, lang, speed), load)

    def _kokoro_engine(self):
        if self._kokoro is None:
            import onnxruntime as ort
            from kokoro_onnx import Kokoro
            kdir = os.path.join(self.src, "kokoro")
            npz = os.path.join(kdir, "voices.npz")
            if not os.path.exists(npz):
                vdir = os.path.join(kdir, "voices")
                voices = {f[:-4]: np.fromfile(os.path.join(vdir, f), dtype="<f4").reshape(-1, 1, 256)
                          for f in sorted(os.listdir(vdir)) if f.endswith(".bin")}
                np.savez(npz + ".tmp.npz", **voices)
                os.replace(npz + ".tmp.npz", npz)
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 2
            opts.inter_op_num_threads = 1
            sess = ort.InferenceSession(os.path.join(kdir, "kokoro-v1.0.int8.onnx"), sess_options=opts,
                                        providers=["CPUExecutionProvider"])
            self._kokoro = Kokoro.from_session(sess, npz)
        return self._kokoro


# --------------------------------------------------------------------------- dialogue texts

KOKORO_SCRIPTS = {
    # tune
    "parking": """
E: Good morning, you're through to the city parking office, this is Sarah. How can I help?
C: Hi, yes. I got a letter saying my residents' permit runs out at the end of the month, and I'm not sure how to renew it.
E: No problem, I can help you with that. Could I have your permit number, please? It's on the top right of the letter.
C: Let me see. It's P, four, seven, two, nine, one.
E: Thank you. And can you confirm the address the permit is for?
C: Fourteen Mill Lane, flat two.
E: Lovely, I've found it. The renewal is forty two pounds for twelve months, and you can pay by card over the phone today.
C: That's fine. Will the new permit come by post, or do I need to print something?
E: It's digital now, so nothing goes in the windscreen. The wardens check your number plate.
C: Oh, I didn't know that. So I can just throw the old paper one away?
E: Yes, once the new one starts on the first. I'll send you a confirmation by email as well.
C: Great. And if I change my car later in the year, what do I do?
E: You log in to the parking account and update the registration. It takes effect the same day, and there's no charge for it.
C: Perfect. Let's do the payment then.
E: Of course. I'll transfer you to the secure line now, it will ask you for the card number. Thanks for calling.
""",
    "housing": """
E: Housing benefit team, you're speaking to Michael.
C: Hello, I'm calling because my payment didn't arrive this week, and my rent is due on Friday.
E: I'm sorry to hear that. Can I take your reference number, so I can look at the claim?
C: It's H B, zero one eight, eight three five.
E: Thanks. I can see the claim was suspended on the third, because we asked for a copy of your new tenancy agreement and haven't received it yet.
C: But I sent that weeks ago! I put it in the post the same day I got your letter.
E: I understand. Sometimes the post goes to the scanning centre first, and it can take a while to reach us.
C: So what am I supposed to do about the rent? My landlord won't wait.
E: If you can upload a photo of the agreement through the online form today, I can mark it as urgent and restart the payments.
C: I can do that this afternoon. Will I get the missing week as well?
E: Yes. Once it's verified, the payment is backdated to the date it stopped, so nothing is lost.
C: Right. And can you give me something in writing for the landlord in the meantime?
E: I can send a letter confirming the claim is active and under review. Shall I email it to the address we have on file?
C: Please do. Thank you for sorting it out.
E: You're welcome. Upload the agreement, and call us back if you don't see the payment by Tuesday.
""",
    "pension": """
E: Pensions service, good afternoon. My name is Alice.
C: Good afternoon. I've moved house, and I need to tell you my new address.
E: Certainly. Before I change anything, can you give me your full name and date of birth?
C: Robert James Carter, the ninth of March, nineteen fifty two.
E: Thank you, Mr Carter. And what's the first line of the old address?
C: Twenty seven Station Road.
E: That matches. What's the new address, please?
C: It's flat six, Willow Court, Green Street. The postcode is L S seven, three B N.
E: Let me just read that back to you. Flat six, Willow Court, Green Street, L S seven, three B N.
C: That's right.
E: Lovely. Your pension payments won't change, they still go into the same bank account.
C: Good. My daughter said I might need to fill in a form.
E: Not for an address change, no. You'll get a letter at the new address within ten days confirming it.
C: Thank you, that's very helpful.
E: Is there anything else I can help you with today?
C: No, that's everything. Goodbye.
""",
    "council-tax": """
E: Customer services, this is Tom speaking.
C: Hi Tom. I've had a bill for council tax on my old flat, but I moved out in June.
E: Okay. That's handled by the council tax team, but I can bring a colleague into the call, so you don't have to explain it twice. Is that alright?
C: Yes, please.
O: Hello, it's Daniel from council tax. Tom's told me it's about the old flat. Can I have the account number on the bill?
C: It's seven seven one, four zero two, nine.
O: Thank you. I can see the account is still open, because we never received a moving date.
C: I told the letting agent. I thought they would let you know.
O: Unfortunately they don't always do that. If you give me the date now, I'll close the account from then.
C: It was the thirtieth of June.
O: Done. The bill will be recalculated, and you'll get a refund for July and August.
E: And I'll update your address on our side as well, so the new letter reaches you.
C: Brilliant, thank you both.
O: You're welcome. The refund usually takes about two weeks.
E: Thanks for calling. Have a good day.
""",
    "dictation-a": """
E: Case note for the meeting on the fourteenth of May.
E: The citizen attended on time, and brought the documents we asked for.
E: She has been out of work since February, and is looking for part time work in retail.
E: We agreed that she will apply for at least three positions a week.
E: She asked about childcare support. I gave her the leaflet and the phone number.
E: Her travel costs to the training course were not paid in April.
E: Action for me: check with finance whether the travel costs can still be covered.
E: Next meeting in two weeks, same time, same room.
E: End of note.
""",
    "ivr-en": """
C: Hello? Yes, I'm trying to reach someone about my voicemail.
C: I already pressed one, twice.
C: Okay, I'll enter the number again.
C: Is anybody there? I just want to change my password.
C: Right, the pound key, got it.
C: It says my password is wrong, but I only set it yesterday.
C: Fine, I'll try the agent login instead.
C: Thank you, goodbye.
""",
    # test
    "appointment": """
E: Job centre, you're speaking to Grace.
C: Hello. I've had a letter saying my payment will be reduced, because I missed an appointment.
E: I'm sorry about that. Can I have your national insurance number, please?
C: It's Q R, one two, three four, five six, C.
E: Thank you. Yes, I can see it. The appointment was on Monday at ten, and it's marked as not attended.
C: But nobody told me about it! I check my post every day.
E: The invitation was sent to your online journal on the second. Did you see a message there?
C: I don't use the journal much. My phone broke last month.
E: I understand. You can ask for the decision to be looked at again, if you explain why you couldn't see the message.
C: How do I do that? Do I write a letter?
E: I can note your reason now, and it goes to a decision maker. You'll hear back within two weeks.
C: Okay. Please write that my phone was broken, and I had no internet at home.
E: I've written that down. I'll also book a new appointment for Thursday at two, and send it by post this time.
C: Thank you. Post is much better for me.
E: You're welcome. Bring any letters you've had, and we'll go through them together on Thursday.
""",
    "bins": """
E: Waste and recycling, this is Ben speaking.
C: Hi. My green bin hasn't been emptied for three weeks now, and it's starting to smell.
E: Sorry about that. What's your street and house number?
C: Forty one, Orchard Way.
E: Thanks. I can see the crew reported a blocked access on your road on the last two collection days.
C: That'll be the building work. There's a skip in front of the houses.
E: That explains it. I can book a special collection for tomorrow morning, if the bin is out by seven.
C: Tomorrow's fine. Will they take the extra bags as well? We've had to put some next to the bin.
E: They can take up to three extra bags this time, as the missed collections were not your fault.
C: That's good. And what about next week, if the skip is still there?
E: I'll put a note on the route, so the crew brings the bins out to the main road themselves.
C: Great, thank you.
E: No problem. I've logged it under reference five five zero nine.
""",
    "school": """
E: School admissions, good morning, Lily speaking.
C: Good morning. We've just moved to the area, and I need a place for my son in year four.
E: Welcome to the area. Do you have a preferred school in mind?
C: Hill Street Primary. It's the closest one to our house.
E: Let me check. Hill Street is full in year four at the moment, but there's a waiting list.
C: Oh. How long is the waiting list?
E: Your son would be second on it. Places do come up quite often during the year.
C: And what happens in the meantime? He can't just stay at home.
E: We can offer a place at Park Lane, which is about a mile away, with a free bus.
C: I suppose that's better than nothing. Can he stay on the list for Hill Street?
E: Yes, accepting a place somewhere else doesn't affect the waiting list.
C: Okay, then we'll take Park Lane for now.
E: I'll send the forms by email this afternoon. He could start next Monday.
C: That's great. Thank you very much.
""",
    "carer": """
E: Adult social care, this is Kate. How can I help?
C: Hello. I'm calling about my care visits. The carer hasn't come this morning.
E: I'm sorry to hear that. Can I take your name and address?
C: Peter Wallace, twelve Rose Hill.
E: Thank you, Mr Wallace. I can see you have a visit booked at eight every morning.
O: Hello, sorry, I'm his daughter, Emma. I'm here with him today. The carer called to say she's ill, but nobody else came.
E: Thank you, Emma. That shouldn't happen. I'll ring the agency now and ask them to send someone else this morning.
C: I need help with my tablets, that's the main thing.
E: Of course. I'll tell them the medication is the priority.
O: Could you also check the visits for the weekend? My dad said the times keep changing.
E: I can see two different times on Saturday. I'll ask the agency to fix it at eight, like the weekdays.
C: That would be much better.
E: Someone from the agency will call you within the hour to confirm.
O: Thank you so much, we'll wait for the call.
""",
    "dictation-b": """
E: Summary of the phone call with the landlord, for the file.
E: The landlord confirmed that the rent was increased from the first of September.
E: The tenant was not told in writing, so the old rent applies until a proper notice is sent.
E: I explained that the benefit is calculated on the rent in the tenancy agreement.
E: He agreed to send a copy of the new agreement by the end of the week.
E: The arrears are two months, and the landlord is willing to wait until the review is finished.
E: Next step: when the agreement arrives, recalculate the benefit from September.
E: Close the note.
""",
    "ivr-it": """
C: Pronto? Sì, buongiorno, vorrei parlare con un operatore.
C: Sto chiamando per la bolletta del mese scorso.
C: Ho già digitato il numero, ma non funziona.
C: Va bene, riprovo con il codice cliente.
C: Scusi, non ho capito, può ripetere?
C: Il mio numero è tre quattro due, cinque zero uno.
C: Perfetto, allora aspetto in linea.
C: Grazie mille, arrivederci.
""",
    "ivr-fr": """
C: Allô, bonjour, je voudrais parler à quelqu'un, s'il vous plaît.
C: C'est au sujet de la facture du mois dernier.
C: J'ai déjà composé mon numéro deux fois.
C: D'accord, je recommence avec le mot de passe.
C: Excusez-moi, je n'ai pas bien compris.
C: Mon numéro de dossier est le quatre cent douze.
C: Très bien, je reste en ligne.
C: Merci beaucoup, au revoir.
""",
}

BACKCHANNEL_WORDS = {
    "en-us": ["Mm-hm.", "Yeah.", "Right.", "Okay.", "Uh-huh.", "I see.", "Sure.", "Yes."],
    "en-gb": ["Mm-hm.", "Yeah.", "Right.", "Okay.", "Uh-huh.", "I see.", "Sure.", "Yes."],
    "it": ["Sì.", "Certo.", "Ecco.", "Va bene."],
    "fr-fr": ["Oui.", "D'accord.", "Ah bon.", "Voilà."],
}

# Voices of each split, which must not share a speaker (checked by check_splits). Fillets NG is
# split by level (fillets_split_levels); Joe, the Amazon Queen hero, is in both splits.
SPLIT_VOICES = {
    "tune": {"kokoro": {"af_heart", "bf_emma", "am_adam", "bm_george", "bf_alice", "bm_daniel", "am_michael",
                        "af_bella", "am_echo", "af_nicole", "am_eric", "af_jessica", "am_onyx", "af_alloy",
                        "af_nova"},
             "queen": {"25", "57", "12", "37", "48", "08", "59", "24", "39", "53", "62", "28", "80"},
             "asterisk": {"en"},
             "libri": {"1089", "121", "1188", "1221", "1284", "2094"}},
    "test": {"kokoro": {"af_sarah", "bf_isabella", "am_fenrir", "bm_lewis", "bf_lily", "am_liam", "af_kore",
                        "am_puck", "af_sky", "bm_fable", "ff_siwis", "im_nicola",
                        "af_aoede", "af_river"},
             "queen": {"61", "35", "33", "67", "75"},
             "asterisk": {"fr", "it"},
             "libri": {"1320", "1580", "1995"}},
}


def material_split(sp):
    """The split whose source lines a recording takes: the long recordings take test material."""
    return "test" if sp["split"] == "long" else sp["split"]


def check_splits(specs):
    for kind in SPLIT_VOICES["tune"]:
        shared = SPLIT_VOICES["tune"][kind] & SPLIT_VOICES["test"][kind]
        assert not shared, f"{kind} voices in both splits: {shared}"
    for sp in specs:
        allowed = SPLIT_VOICES[material_split(sp)]
        used = {"kokoro": set(sp.get("voices", [])),
                "queen": set(sp.get("prefixes", [])) | ({sp["prefix"]} if sp.get("prefix") else set()),
                "asterisk": {sp["lang"]} if sp["kind"].startswith("asterisk") else set(),
                "libri": set(sp.get("speakers", []))}
        for kind, v in used.items():
            assert v <= allowed[kind], f"{sp['name']}: {kind} {sorted(v - allowed[kind])} not in split {sp['split']}"


def kokoro_lang(voice):
    return {"a": "en-us", "b": "en-gb", "i": "it", "f": "fr-fr"}[voice[0]]


def kokoro_gender(voice):
    return "female" if voice[1] == "f" else "male"


def parse_script(text):
    role = {"E": 0, "C": 1, "O": 2}
    out = []
    for line in text.strip().splitlines():
        who, said = line.split(":", 1)
        out.append((role[who.strip()], said.strip()))
    return out


# --------------------------------------------------------------------------- recordings

# Fillets NG levels: every third level (alphabetical, from the third) is test material, the
# rest tune. Czech is test material only.
def fillets_split_levels(sources, lang, split):
    levels = sources.fillets_levels(lang)
    if lang == "cs":
        return levels if split == "test" else []
    return [lv for i, lv in enumerate(levels) if (i % 3 == 2) == (split == "test")]


# name, split, kind and options. kind: fillets | fillets-mono | queen | queen-mono | kokoro
# | kokoro-mono | asterisk-mono | asterisk-kokoro | libri.
# Options: target (s), interrupt (probability per turn change), bc (backchannels per minute),
# quiet (role index 10 dB down), noise ((kind, SNR dB)), tel ("mulaw" | "alaw"), pause ((lo, hi) s),
# roles (for fillets: which fish is the employee), same (build the timeline of that recording),
# clips (queen-mono and asterisk-mono: how many source clips to draw from), room (dict rt60 s and
# drr_db per role: each party through its own synthetic room response), thin ((role index, share
# of its turns kept): the other party does most of the talking).
CALLS = [
    # ---- tune
    dict(name="nl-fish-01", split="tune", kind="fillets", lang="nl", target=55, interrupt=0.15, bc=3),
    dict(name="nl-fish-01-tel", split="tune", same="nl-fish-01", tel="mulaw", noise=("brown", 20)),
    dict(name="nl-fish-02", split="tune", kind="fillets", lang="nl", target=50, interrupt=0.3, bc=2,
         roles=("small", "big")),
    dict(name="nl-fish-03", split="tune", kind="fillets", lang="nl", target=45, interrupt=0.1, bc=3, quiet=1),
    dict(name="nl-fish-04", split="tune", kind="fillets", lang="nl", target=40, interrupt=0.1, bc=2, quiet=0,
         roles=("small", "big")),
    dict(name="nl-fish-05", split="tune", kind="fillets", lang="nl", target=50, interrupt=0.2, bc=3,
         noise=("pink", 20)),
    dict(name="nl-fish-06", split="tune", kind="fillets", lang="nl", target=45, interrupt=0.15, bc=3,
         noise=("babble", 18), tel="alaw"),
    dict(name="nl-fish-07", split="tune", kind="fillets", lang="nl", target=90, interrupt=0.2, bc=4),
    dict(name="nl-fish-08", split="tune", kind="fillets", lang="nl", target=40, interrupt=0.1, bc=2,
         pause=(0.1, 0.45), roles=("small", "big")),
    dict(name="nl-fish-09", split="tune", kind="fillets", lang="nl", target=40, interrupt=0.1, bc=2,
         pause=(0.6, 1.5), noise=("white", 25)),
    dict(name="nl-mono-small", split="tune", kind="fillets-mono", lang="nl", who="small", target=40),
    dict(name="nl-mono-big", split="tune", kind="fillets-mono", lang="nl", who="big", target=45,
         noise=("pink", 25)),
    dict(name="en-kokoro-ff", split="tune", kind="kokoro", script="parking", voices=["af_heart", "bf_emma"],
         interrupt=0.1, bc=3, target=55),
    dict(name="en-kokoro-mm", split="tune", kind="kokoro", script="housing", voices=["am_adam", "bm_george"],
         interrupt=0.3, bc=2, target=55),
    dict(name="en-kokoro-fm", split="tune", kind="kokoro", script="pension", voices=["bf_alice", "bm_daniel"],
         interrupt=0.1, bc=3, quiet=1, target=50),
    dict(name="en-kokoro-fm-tel", split="tune", same="en-kokoro-fm", tel="mulaw", noise=("pink", 18)),
    dict(name="en-kokoro-trio", split="tune", kind="kokoro", script="council-tax",
         voices=["am_michael", "af_bella", "am_echo"], interrupt=0.15, bc=2, target=55),
    dict(name="en-kokoro-mono", split="tune", kind="kokoro-mono", script="dictation-a", voices=["af_nicole"]),
    dict(name="en-queen-01", split="tune", kind="queen", prefixes=["25"], target=50, interrupt=0.15, bc=2),
    dict(name="en-queen-02", split="tune", kind="queen", prefixes=["57"], target=50, interrupt=0.1, bc=2,
         joe_role=1),
    dict(name="en-queen-02-tel", split="tune", same="en-queen-02", tel="alaw", noise=("brown", 22)),
    dict(name="en-queen-trio", split="tune", kind="queen", prefixes=["12", "37"], target=55, interrupt=0.1, bc=2),
    dict(name="en-queen-mono", split="tune", kind="queen-mono", target=45, start=0),
    dict(name="en-asterisk-mono-tel", split="tune", kind="asterisk-mono", lang="en", target=40, tel="mulaw"),
    dict(name="en-asterisk-kokoro-tel", split="tune", kind="asterisk-kokoro", lang="en", script="ivr-en",
         voices=["am_eric"], target=45, tel="mulaw", noise=("white", 22)),
    dict(name="en-libri-trio-1", split="tune", kind="libri", speakers=["1089", "121", "1188"]),
    dict(name="en-libri-trio-2", split="tune", kind="libri", speakers=["1221", "1284", "2094"]),
    # telephone versions of tune recordings (more narrowband voices to choose settings on)
    dict(name="en-kokoro-ff-tel", split="tune", same="en-kokoro-ff", tel="alaw", noise=("pink", 20)),
    dict(name="en-kokoro-mm-tel", split="tune", same="en-kokoro-mm", tel="mulaw", noise=("brown", 20)),
    dict(name="en-queen-01-tel", split="tune", same="en-queen-01", tel="mulaw", noise=("white", 22)),
    dict(name="nl-fish-03-tel", split="tune", same="nl-fish-03", tel="alaw", noise=("babble", 18)),
    dict(name="en-kokoro-trio-tel", split="tune", same="en-kokoro-trio", tel="mulaw", noise=("pink", 20)),
    dict(name="en-queen-trio-tel", split="tune", same="en-queen-trio", tel="alaw", noise=("brown", 20)),
    dict(name="en-kokoro-mono-tel", split="tune", same="en-kokoro-mono", tel="alaw", noise=("pink", 22)),
    dict(name="en-queen-mono-tel", split="tune", same="en-queen-mono", tel="mulaw", noise=("babble", 20)),
    dict(name="nl-mono-small-tel", split="tune", same="nl-mono-small", tel="mulaw", noise=("white", 22)),
    dict(name="en-libri-trio-1-tel", split="tune", same="en-libri-trio-1", tel="mulaw", noise=("white", 22)),
    # ---- test
    dict(name="nl-fish-t1", split="test", kind="fillets", lang="nl", target=50, interrupt=0.15, bc=3),
    dict(name="nl-fish-t2", split="test", kind="fillets", lang="nl", target=45, interrupt=0.3, bc=2, quiet=1,
         roles=("small", "big")),
    dict(name="nl-fish-t3", split="test", kind="fillets", lang="nl", target=45, interrupt=0.15, bc=3,
         noise=("pink", 20), tel="mulaw"),
    dict(name="nl-mono-t", split="test", kind="fillets-mono", lang="nl", who="big", target=35),
    dict(name="cs-fish-t1", split="test", kind="fillets", lang="cs", target=50, interrupt=0.15, bc=3),
    dict(name="cs-fish-t1-tel", split="test", same="cs-fish-t1", tel="alaw", noise=("babble", 17)),
    dict(name="cs-fish-t2", split="test", kind="fillets", lang="cs", target=45, interrupt=0.3, bc=3,
         roles=("small", "big")),
    dict(name="cs-fish-t3", split="test", kind="fillets", lang="cs", target=40, interrupt=0.1, bc=2, quiet=0,
         noise=("brown", 22)),
    dict(name="cs-fish-t4", split="test", kind="fillets", lang="cs", target=60, interrupt=0.2, bc=4,
         pause=(0.1, 0.8)),
    dict(name="cs-mono-t", split="test", kind="fillets-mono", lang="cs", who="small", target=35),
    dict(name="en-kokoro-ff-t", split="test", kind="kokoro", script="appointment",
         voices=["af_sarah", "bf_isabella"], interrupt=0.25, bc=3, target=48),
    dict(name="en-kokoro-mm-t", split="test", kind="kokoro", script="bins", voices=["am_fenrir", "bm_lewis"],
         interrupt=0.15, bc=3, noise=("babble", 20), target=45),
    dict(name="en-kokoro-fm-t-tel", split="test", kind="kokoro", script="school", voices=["bf_lily", "am_liam"],
         interrupt=0.1, bc=2, quiet=0, tel="mulaw", noise=("white", 20), target=45),
    dict(name="en-kokoro-trio-t", split="test", kind="kokoro", script="carer",
         voices=["af_kore", "am_puck", "af_sky"], interrupt=0.15, bc=2, target=50),
    dict(name="en-kokoro-mono-t", split="test", kind="kokoro-mono", script="dictation-b", voices=["bm_fable"]),
    dict(name="en-queen-t1", split="test", kind="queen", prefixes=["61"], target=45, interrupt=0.15, bc=2),
    dict(name="en-queen-t2-tel", split="test", kind="queen", prefixes=["35"], target=40, interrupt=0.1, bc=2,
         joe_role=1, tel="mulaw", noise=("pink", 20)),
    dict(name="en-queen-trio-t", split="test", kind="queen", prefixes=["61", "35"], target=50, interrupt=0.1,
         bc=2),
    dict(name="en-queen-mono-t", split="test", kind="queen-mono", prefix="33", target=35),
    dict(name="fr-asterisk-mono-tel", split="test", kind="asterisk-mono", lang="fr", target=35, tel="alaw"),
    dict(name="fr-asterisk-kokoro-tel", split="test", kind="asterisk-kokoro", lang="fr", script="ivr-fr",
         voices=["ff_siwis"], target=40, tel="alaw", noise=("pink", 22)),
    dict(name="it-asterisk-kokoro-tel", split="test", kind="asterisk-kokoro", lang="it", script="ivr-it",
         voices=["im_nicola"], target=40, tel="mulaw"),
    dict(name="en-libri-trio-t", split="test", kind="libri", speakers=["1320", "1580", "1995"]),
    # ---- long (about 5 minutes each, from test material and Joe's comment clips, not tuned on;
    # last, so that the recordings above keep their lines)
    dict(name="nl-fish-long", split="long", kind="fillets", lang="nl", target=300, interrupt=0.15, bc=3),
    dict(name="nl-fish-long-tel", split="long", same="nl-fish-long", tel="mulaw", noise=("brown", 20)),
    dict(name="en-queen-mono-long", split="long", kind="queen-mono", target=300, start=200, clips=500),
    dict(name="en-queen-mono-long-tel", split="long", same="en-queen-mono-long", tel="mulaw",
         noise=("babble", 20)),
    dict(name="it-asterisk-mono-long-tel", split="long", kind="asterisk-mono", lang="it", target=240,
         clips=200, tel="alaw"),
    # ---- more tune recordings on phone lines, where the voices lie closest (appended, so that
    # the recordings above keep their lines)
    dict(name="en-queen-03-tel", split="tune", kind="queen", prefixes=["48"], target=45, interrupt=0.1, bc=2,
         joe_role=1, tel="mulaw", noise=("pink", 20)),
    dict(name="en-queen-04-tel", split="tune", kind="queen", prefixes=["08"], target=45, interrupt=0.15, bc=2,
         tel="alaw", noise=("white", 22)),
    dict(name="en-queen-05-tel", split="tune", kind="queen", prefixes=["59"], target=45, interrupt=0.1, bc=2,
         tel="mulaw", noise=("brown", 20)),
    dict(name="en-queen-06-tel", split="tune", kind="queen", prefixes=["24"], target=45, interrupt=0.1, bc=2,
         joe_role=1, tel="alaw", noise=("pink", 22)),
    dict(name="en-asterisk-kokoro-ff-tel", split="tune", kind="asterisk-kokoro", lang="en", script="ivr-en",
         voices=["af_bella"], target=45, tel="alaw", noise=("pink", 22)),
    dict(name="en-queen-mono-39-tel", split="tune", kind="queen-mono", prefix="39", target=40, tel="mulaw",
         noise=("pink", 20)),
    dict(name="en-queen-mono-53-tel", split="tune", kind="queen-mono", prefix="53", target=40, tel="alaw",
         noise=("white", 22)),
    dict(name="nl-mono-big-tel", split="tune", same="nl-mono-big", tel="alaw", noise=("brown", 20)),
    dict(name="en-kokoro-mono-2-tel", split="tune", kind="kokoro-mono", script="dictation-a", voices=["bm_george"],
         tel="mulaw", noise=("white", 22)),
    # ---- rooms and one-sided calls: a role-play on one laptop microphone in a room (each voice
    # through its own room response, the one across the table further away and quieter), and
    # calls in which one party mostly listens (a share of its turns dropped, its backchannels kept)
    dict(name="nl-fish-10-room", split="tune", kind="fillets", lang="nl", target=50, interrupt=0.15, bc=3,
         room=dict(rt60=0.5, drr_db=(6, -2))),
    dict(name="nl-fish-11-thin", split="tune", kind="fillets", lang="nl", target=55, interrupt=0.1, bc=3,
         thin=(1, 0.08)),
    dict(name="en-queen-07-room", split="tune", kind="queen", prefixes=["62"], target=50, interrupt=0.15, bc=2,
         quiet=1, room=dict(rt60=0.6, drr_db=(5, -3))),
    dict(name="en-queen-08-thin", split="tune", kind="queen", prefixes=["28"], target=50, interrupt=0.1, bc=3,
         thin=(0, 0.25)),
    dict(name="en-kokoro-room", split="tune", kind="kokoro", script="housing", voices=["af_jessica", "am_onyx"],
         interrupt=0.15, bc=3, target=55, room=dict(rt60=0.45, drr_db=(6, 0))),
    dict(name="en-kokoro-thin", split="tune", kind="kokoro", script="parking", voices=["af_alloy", "bm_george"],
         interrupt=0.1, bc=4, thin=(1, 0.15)),
    dict(name="cs-fish-t5-room", split="test", kind="fillets", lang="cs", target=50, interrupt=0.15, bc=3,
         quiet=1, room=dict(rt60=0.6, drr_db=(6, -3))),
    dict(name="cs-fish-t6-thin", split="test", kind="fillets", lang="cs", target=55, interrupt=0.1, bc=3,
         thin=(1, 0.08)),
    dict(name="en-queen-t3-thin", split="test", kind="queen", prefixes=["67"], target=50, interrupt=0.1, bc=3,
         thin=(0, 0.25)),
    dict(name="en-queen-t4-room", split="test", kind="queen", prefixes=["75"], target=50, interrupt=0.15, bc=2,
         room=dict(rt60=0.5, drr_db=(5, -2))),
    dict(name="en-kokoro-room-t", split="test", kind="kokoro", script="bins", voices=["af_aoede", "bm_lewis"],
         interrupt=0.15, bc=3, target=50, room=dict(rt60=0.5, drr_db=(6, -2))),
    dict(name="nl-fish-02-room", split="tune", same="nl-fish-02", room=dict(rt60=0.7, drr_db=(4, -4))),
    dict(name="en-kokoro-mm-room", split="tune", same="en-kokoro-mm", room=dict(rt60=0.5, drr_db=(6, -2))),
    dict(name="en-queen-02-room", split="tune", same="en-queen-02", quiet=0, room=dict(rt60=0.6, drr_db=(-3, 5))),
    dict(name="nl-mono-small-room", split="tune", same="nl-mono-small", room=dict(rt60=0.6, drr_db=(0,))),
    dict(name="en-kokoro-mono-room", split="tune", same="en-kokoro-mono", room=dict(rt60=0.8, drr_db=(-2,))),
    dict(name="cs-mono-t-room", split="test", same="cs-mono-t", room=dict(rt60=0.6, drr_db=(0,))),
    dict(name="en-kokoro-ff-t-room", split="test", same="en-kokoro-ff-t", room=dict(rt60=0.6, drr_db=(5, -3))),
    # after a first test run (a listener with 6 % of the talk merged, a voice in a room split):
    # more of both in the tune split
    dict(name="nl-fish-12-thin", split="tune", kind="fillets", lang="nl", target=60, interrupt=0.1, bc=3,
         thin=(1, 0.04)),
    dict(name="en-queen-09-thin", split="tune", kind="queen", prefixes=["80"], target=55, interrupt=0.1, bc=3,
         thin=(0, 0.1)),
    dict(name="en-kokoro-thin-2", split="tune", kind="kokoro", script="pension", voices=["af_nova", "bm_daniel"],
         interrupt=0.1, bc=4, thin=(1, 0.08)),
    dict(name="en-queen-mono-room", split="tune", same="en-queen-mono", room=dict(rt60=0.6, drr_db=(0,))),
    dict(name="nl-mono-big-room", split="tune", same="nl-mono-big", room=dict(rt60=0.7, drr_db=(-2,))),
    dict(name="nl-mono-small-room-far", split="tune", same="nl-mono-small", room=dict(rt60=0.9, drr_db=(-4,))),
    dict(name="en-kokoro-thin-t", split="test", kind="kokoro", script="appointment", voices=["af_river", "am_fenrir"],
         interrupt=0.1, bc=4, thin=(1, 0.15)),
]

# The committed fixtures (fixtures/real/): short, from tune material.
FIXTURES = [
    dict(name="real-nl-fish", split="tune", kind="fillets", lang="nl", levels=["barrel"], target=11,
         interrupt=1.0, bc=6),
    dict(name="real-nl-fish-tel", split="tune", kind="fillets", lang="nl", levels=["library"], target=50,
         interrupt=0.8, bc=3, tel="mulaw", noise=("brown", 20)),
    dict(name="real-nl-mono", split="tune", kind="fillets-mono", lang="nl", who="small", levels=["briefcase"],
         target=12),
]


@dataclasses.dataclass
class Placed:
    party: int
    clip: Clip
    at: int  # sample where clip.audio starts in the recording
    kind: str  # speech | interruption | backchannel

    def spans(self):
        return [(self.at + a, self.at + b) for a, b in self.clip.pieces]


class Builder:
    def __init__(self, sources, spec, streams):
        self.s = sources
        self.spec = spec
        self.streams = streams
        self.seed = zlib.crc32(spec["name"].encode())
        self.rng = np.random.default_rng(self.seed)
        self.placed = []
        self.parties = []  # [{role, voice, gender, source}]
        self.bc_pools = {}  # party -> [Clip]
        self.info = {}

    # ---- material

    def fillets_stream(self, lang, split):
        key = (lang, split)
        if key not in self.streams:
            items = []
            for lv in fillets_split_levels(self.s, lang, split):
                for row in self.s.fillets_lines(lang, lv):
                    items.append((lv,) + row)
            self.streams[key] = {"items": items, "pos": 0}
        return self.streams[key]

    def take_fillets(self, lang, split, fonts, target, levels=None):
        """Consecutive lines of the given fonts: from the split's stream, or from `levels`."""
        if levels:
            items = [(lv,) + row for lv in levels for row in self.s.fillets_lines(lang, lv)]
            st = {"items": items, "pos": 0}
        else:
            st = self.fillets_stream(lang, split)
        out, total = [], 0.0
        while st["pos"] < len(st["items"]) and total < target * 1.6:
            lv, lid, font, text, path = st["items"][st["pos"]]
            st["pos"] += 1
            if font not in fonts:
                continue
            if len(fonts) > 1 and len(out) >= 2 and out[-1][0] == font and out[-2][0] == font:
                continue  # a third line in a row is mostly an alternative wording of the same line
            c = self.s.fillets_clip(lang, lv, lid, font, text, path)
            if c is not None:
                out.append((font, c))
                total += c.speech_s + 0.7
        return out

    def fillets_backchannels(self, lang, split, font, avoid):
        """Short clips of one fish: the first word of lines that start with an interjection."""
        words = {"nl": r"(Ja|Nee|Nou|Oké|Okee|Hm+|Tja|Goed|Ach|Oh|O|Hé|Au|Mja|Ehm|Zo|Ah)",
                 "cs": r"(Ano|Ne|No|Jo|Dobře|Hm+|Aha|Tak|Jé|Ach|Fajn|Jasně|Hele|Ó|Ale|Nojo)"}[lang]
        pat = re.compile(words + r"[.,!?]", re.I)
        out = []
        for lv in fillets_split_levels(self.s, lang, split):
            for lid, f, text, path in self.s.fillets_lines(lang, lv):
                if f != font or not pat.match(text) or f"fillets-ng/{lang}/{lv}/{lid}" in avoid:
                    continue
                c = self.s.fillets_clip(lang, lv, lid, f, text, path)
                if c is None:
                    continue
                if c.speech_s <= BACKCHANNEL_MAX_S - 0.02:
                    out.append(c)
                    continue
                word = first_word_clip(c, pat.match(text).group(0))
                if word is not None:
                    out.append(word)
            if len(out) >= 40:
                break
        return out

    def kokoro(self, voice, text):
        """A line in a Kokoro voice; each voice has its own fixed speaking rate (0.92-1.08)."""
        speed = round(0.92 + 0.16 * ((zlib.crc32(voice.encode()) % 100) / 99), 2)
        return self.s.kokoro_clip(voice, text, kokoro_lang(voice), speed)

    def kokoro_backchannels(self, voice):
        out = []
        for w in BACKCHANNEL_WORDS[kokoro_lang(voice)]:
            c = self.kokoro(voice, w)
            if c is not None and len(c.pieces) == 1 and c.speech_s <= BACKCHANNEL_MAX_S - 0.02:
                out.append(c)
        return out

    def cut_backchannels(self, clips, limit=30):
        """Single words cut out of longer clips (speech runs between pauses of 0.12 s or more)."""
        out = []
        for c in clips:
            if c.speech_s <= BACKCHANNEL_MAX_S - 0.02 and len(c.pieces) == 1:
                out.append(c)
            else:
                w = first_word_clip(c, "")
                if w is not None:
                    out.append(w)
            if len(out) >= limit:
                break
        return out

    def add_party(self, role, voice, gender, source):
        """gender None: decided from the median pitch of the party's clips (pitch_genders)."""
        self.parties.append(dict(role=role, voice=voice, gender=gender, source=source,
                                 gender_by="source" if gender else "pitch"))

    # ---- layout

    def lay_out(self, turns, target=None, pause=(0.1, 1.5), interrupt=0.0, same_pause=(0.35, 1.1)):
        """Place (party, clip) turns one after another with pauses, sometimes cutting in."""
        turns = self.thin_turns(turns)
        rng = self.rng
        t = int(rng.uniform(0.3, 0.9) * SR)
        latest_end = 0
        own_end = {}
        for party, clip in turns:
            first = clip.pieces[0]
            kind = "speech"
            if self.placed:
                prev = self.placed[-1]
                start = None
                if party != prev.party and rng.random() < interrupt:
                    last = prev.spans()[-1]
                    ov = int(rng.uniform(0.5, 1.5) * SR)
                    ov = min(ov, last[1] - last[0] - int(0.25 * SR), first[1] - first[0] - int(0.3 * SR))
                    cand = latest_end - ov
                    if ov >= int(0.55 * SR) and last[1] == latest_end and cand > own_end.get(party, 0) + SR // 5:
                        start, kind = cand, "interruption"
                if start is None:
                    lo, hi = same_pause if party == prev.party else pause
                    gap = lo + (hi - lo) * rng.beta(1.3, 2.2)
                    start = latest_end + int(gap * SR)
            else:
                start = t
            at = start - first[0]
            p = Placed(party, clip, at, kind)
            end = p.spans()[-1][1]
            if target is not None and self.placed and end > (target + 12) * SR:
                break
            self.placed.append(p)
            latest_end = max(latest_end, end)
            own_end[party] = end
            if target is not None and latest_end >= target * SR:
                break

    def thin_turns(self, turns):
        """Option thin=(party, keep): only that share of the party's turns is kept, so that the
        other party does most of the talking (a call in which one side mostly listens)."""
        thin = self.spec.get("thin")
        if not thin:
            return turns
        party, keep = thin
        return [(q, c) for q, c in turns if q != party or self.rng.random() < keep]

    def take_target(self, sp):
        """Seconds of source lines to take: more where thinning drops some of one party's lines."""
        thin = sp.get("thin")
        return sp["target"] / (0.5 + 0.5 * thin[1]) if thin else sp["target"]

    def lay_out_mono(self, clips, target=None):
        rng = self.rng
        t = int(rng.uniform(0.3, 0.9) * SR)
        for i, clip in enumerate(clips):
            if i:
                gap = 0.4 + 1.8 * rng.beta(1.2, 2.5) if rng.random() > 0.12 else rng.uniform(2.2, 3.5)
                t = self.placed[-1].spans()[-1][1] + int(gap * SR)
            p = Placed(0, clip, t - clip.pieces[0][0], "speech")
            if target is not None and self.placed and p.spans()[-1][1] > (target + 10) * SR:
                break
            self.placed.append(p)
            if target is not None and p.spans()[-1][1] >= target * SR:
                break

    def add_backchannels(self, per_minute):
        if not per_minute or len(self.parties) < 2:
            return
        rng = self.rng
        end = max(p.spans()[-1][1] for p in self.placed)
        want = int(round(per_minute * end / SR / 60))
        hosts = [(p.party, s) for p in self.placed for s in p.spans() if s[1] - s[0] >= int(1.6 * SR)]
        used = {q: 0 for q in self.bc_pools}
        order = {q: rng.permutation(len(pool)).tolist() for q, pool in self.bc_pools.items()}
        got = 0
        for _ in range(want * 40):
            if got >= want or not hosts:
                break
            party, (h0, h1) = hosts[rng.integers(len(hosts))]
            others = [q for q in range(len(self.parties)) if q != party and self.bc_pools.get(q)]
            if not others:
                continue
            q = others[rng.integers(len(others))]
            pool = self.bc_pools[q]
            if used[q] >= len(pool):
                continue
            clip = pool[order[q][used[q]]]
            L = clip.pieces[-1][1] - clip.pieces[0][0]
            lo, hi = h0 + int(0.4 * SR), h1 - int(0.3 * SR) - L
            if hi <= lo:
                continue
            s0 = int(rng.integers(lo, hi))
            margin = int(0.4 * SR)  # nobody but the host speaks from 0.4 s before to 0.4 s after
            if any(p.party != party and a < s0 + L + margin and b > s0 - margin
                   for p in self.placed for a, b in p.spans()):
                continue
            self.placed.append(Placed(q, clip, s0 - clip.pieces[0][0], "backchannel"))
            used[q] += 1
            got += 1

    # ---- kinds

    def build(self):
        sp = self.spec
        kind = sp["kind"]
        getattr(self, "build_" + kind.replace("-", "_"))(sp)
        self.add_backchannels(sp.get("bc", 0))
        self.placed.sort(key=lambda p: (p.spans()[0][0], p.party))
        if kind.startswith("fillets"):
            self.info["levels"] = sorted({p.clip.id.split("/")[2] for p in self.placed})

    def build_fillets(self, sp):
        lang, split = sp["lang"], material_split(sp)
        roles = sp.get("roles", ("big", "small"))
        lines = self.take_fillets(lang, split, {"font_" + r for r in roles}, self.take_target(sp),
                                  sp.get("levels"))
        party_of = {"font_" + r: i for i, r in enumerate(roles)}
        for i, r in enumerate(roles):
            self.add_party(ROLES[i], f"fillets-{lang}-{r}", None,
                           f"fillets-ng-data-{lang}: the {r} fish (one voice actor for all its lines)")
        turns = [(party_of[f], c) for f, c in lines]
        self.lay_out(turns, sp["target"], sp.get("pause", (0.1, 1.5)), sp.get("interrupt", 0))
        used = {p.clip.id for p in self.placed}
        for i, r in enumerate(roles):
            self.bc_pools[i] = self.fillets_backchannels(lang, split, "font_" + r, used)

    def build_fillets_mono(self, sp):
        lang, split, who = sp["lang"], material_split(sp), sp["who"]
        lines = self.take_fillets(lang, split, {"font_" + who}, sp["target"], sp.get("levels"))
        self.add_party("employee", f"fillets-{lang}-{who}", None, f"fillets-ng-data-{lang}: the {who} fish")
        self.lay_out_mono([c for _, c in lines], sp["target"])

    def take_queen(self, prefix, target, persons_only=False):
        """Consecutive exchanges (Joe's line, then the person's) of one dialogue file."""
        key = ("queen", prefix)
        if key not in self.streams:
            self.streams[key] = {"items": split_nodes(self.s.queen_dialogue(prefix)), "pos": 0}
        st = self.streams[key]
        out, total = [], 0.0
        while st["pos"] < len(st["items"]) and total < target * 1.6:
            ex = []
            for name, spk in st["items"][st["pos"]]:
                if persons_only and spk == "joe":
                    continue
                c = self.s.queen_clip(name, spk)
                if c is not None and c.speech_s >= 0.5:
                    ex.append((spk, c))
                    total += c.speech_s + 0.7
            st["pos"] += 1
            if ex:
                out.append(ex)
        return out

    def queen_person(self, prefix):
        return f"flight-of-the-amazon-queen: the person Joe talks to in dialogue {prefix} (its P clips)"

    def build_queen(self, sp):
        prefixes = sp["prefixes"]
        joe_role = sp.get("joe_role", 0)
        voices = [f"p{p}" for p in prefixes]
        voices.insert(joe_role, "joe")
        for i, v in enumerate(voices):
            if v == "joe":
                self.add_party(ROLES[i], "queen-joe", "male", "flight-of-the-amazon-queen: Joe King, the hero (J clips)")
            else:
                self.add_party(ROLES[i], f"queen-{v}", None, self.queen_person(v[1:]))
        index = {v: i for i, v in enumerate(voices)}
        share = self.take_target(sp) / len(prefixes)
        exchanges = [self.take_queen(p, share) for p in prefixes]
        turns = []
        k = 0
        while any(exchanges):  # three speakers: the dialogue files take turns, exchange by exchange
            ex = exchanges[k % len(exchanges)]
            if ex:
                turns.extend((index[spk], c) for spk, c in ex.pop(0))
            k += 1
        self.lay_out(turns, sp["target"], sp.get("pause", (0.1, 1.5)), sp.get("interrupt", 0))
        used = {p.clip.id for p in self.placed}
        for v, i in index.items():
            pool = [c for _, c in turns if c.id not in used and c.speaker == f"queen-{v}"]
            self.bc_pools[i] = self.cut_backchannels(pool)
        self.info["dialogue_files"] = prefixes

    def build_queen_mono(self, sp):
        p = sp.get("prefix")
        if p is None:
            names = self.s.queen_joe()[sp.get("start", 0):]
            self.add_party("employee", "queen-joe", "male", "flight-of-the-amazon-queen: Joe King (JOE* comment clips)")
            clips = [self.s.queen_clip(n, "joe") for n in names[:sp.get("clips", 200)]]
        else:
            self.add_party("employee", f"queen-p{p}", None, self.queen_person(p))
            clips = [c for ex in self.take_queen(p, sp["target"], persons_only=True) for _, c in ex]
            self.info["dialogue_files"] = [p]
        self.lay_out_mono([c for c in clips if c is not None and c.speech_s >= 0.8], sp["target"])

    def build_kokoro(self, sp):
        lines = parse_script(KOKORO_SCRIPTS[sp["script"]])
        voices = sp["voices"]
        for i, v in enumerate(voices):
            self.add_party(ROLES[i], f"kokoro-{v}", kokoro_gender(v), f"Kokoro-82M int8 ONNX, voice {v}")
        turns = [(who, self.kokoro(voices[who], text)) for who, text in lines]
        self.lay_out([t for t in turns if t[1] is not None], sp.get("target"), sp.get("pause", (0.1, 1.5)),
                     sp.get("interrupt", 0))
        for i, v in enumerate(voices):
            self.bc_pools[i] = self.kokoro_backchannels(v)
        self.info["script"] = sp["script"]

    def build_kokoro_mono(self, sp):
        lines = parse_script(KOKORO_SCRIPTS[sp["script"]])
        v = sp["voices"][0]
        self.add_party("employee", f"kokoro-{v}", kokoro_gender(v), f"Kokoro-82M int8 ONNX, voice {v}")
        self.lay_out_mono([self.kokoro(v, text) for _, text in lines])
        self.info["script"] = sp["script"]

    def asterisk_sequence(self, lang, n_max):
        prompts = self.s.asterisk_prompts(lang)
        keys = [k for k, v in prompts.items() if " " in v and 12 <= len(v) <= 160]
        pick = self.rng.permutation(len(keys)).tolist()[:n_max]
        return [self.s.asterisk_clip(lang, keys[i], prompts[keys[i]]) for i in pick]

    def build_asterisk_mono(self, sp):
        voice = self.s.ASTERISK[sp["lang"]][0]
        self.add_party("employee", f"asterisk-{voice}", "female" if "_f_" in voice else "male",
                       f"asterisk-core-sounds-{sp['lang']}-wav: {voice} (8 kHz prompts)")
        clips = [c for c in self.asterisk_sequence(sp["lang"], sp.get("clips", 60)) if c is not None]
        self.lay_out_mono(clips, sp["target"])

    def build_asterisk_kokoro(self, sp):
        lang = sp["lang"]
        voice = self.s.ASTERISK[lang][0]
        v = sp["voices"][0]
        self.add_party("employee", f"asterisk-{voice}", "female" if "_f_" in voice else "male",
                       f"asterisk-core-sounds-{lang}-wav: {voice} (8 kHz prompts)")
        self.add_party("citizen", f"kokoro-{v}", kokoro_gender(v), f"Kokoro-82M int8 ONNX, voice {v}")
        prompts = [c for c in self.asterisk_sequence(lang, 40) if c is not None]
        replies = [self.kokoro(v, text) for _, text in parse_script(KOKORO_SCRIPTS[sp["script"]])]
        turns = []
        for i in range(max(len(prompts), len(replies))):
            if i < len(prompts):
                turns.append((0, prompts[i]))
            if i < len(replies) and replies[i] is not None:
                turns.append((1, replies[i]))
        self.lay_out(turns, sp["target"], sp.get("pause", (0.1, 1.5)), sp.get("interrupt", 0))
        pool = []  # the prompt voice's short prompts ("Thank you.", "Goodbye." ...)
        for k, text in self.s.asterisk_prompts(lang).items():
            if len(text) <= 12:
                c = self.s.asterisk_clip(lang, k, text)
                if c is not None and len(c.pieces) == 1 and c.speech_s <= BACKCHANNEL_MAX_S - 0.02:
                    pool.append(c)
        self.bc_pools[0] = pool[:20]
        self.bc_pools[1] = self.kokoro_backchannels(v)
        self.info["script"] = sp["script"]

    def build_libri(self, sp):
        spk = sp["speakers"]
        chunks = []
        for i, s in enumerate(spk):
            c = self.s.libri_clip(s)
            self.add_party(ROLES[i], f"librispeech-{s}", None, f"LibriSpeech test-clean speaker {s}")
            chunks.append(chunk_clip(c, 1.2))
        turns = []
        k = 0
        while any(chunks):
            i = k % len(chunks)
            if chunks[i]:
                turns.append((i, chunks[i].pop(0)))
            k += 1
        self.lay_out(turns, None, sp.get("pause", (0.3, 1.5)), 0.0)


def split_nodes(seq):
    """Group a Queen dialogue into exchanges: a J line and the P lines after it."""
    out = []
    for item in seq:
        if not out or item[1] == "joe":
            out.append([item])
        else:
            out[-1].append(item)
    return out


def sub_clip(c, a, b, suffix, text, lo=None, hi=None):
    """The part of a clip with speech from a to b (samples of c.audio), as a clip of its own.

    The audio runs from lo to hi (default: MARGIN_S around the speech, inside the clip), faded
    in and out over at most 10 ms outside the speech."""
    lo = max(0, a - int(MARGIN_S * SR)) if lo is None else lo
    hi = min(len(c.audio), b + int(MARGIN_S * SR)) if hi is None else hi
    y = c.audio[lo:hi].copy()
    fade(y, max(min(a - lo, 160), 80), max(min(hi - b, 160), 80))
    pieces = []
    for p0, p1 in c.pieces:
        q0, q1 = max(p0, a) - lo, min(p1, b) - lo
        if q1 - q0 >= int(MIN_RUN_S * SR):
            pieces.append((q0, q1))
        elif q1 > q0:  # a sliver of a neighbouring word: silence it
            y[q0:q1] = 0.0
    return Clip(c.id + suffix, c.speaker, text, y, pieces, c.level)


def word_runs(c, gap_s=0.12):
    """Speech runs inside a clip's pieces, split at pauses of gap_s or more (samples of c.audio)."""
    e = frame_db(c.audio)
    out = merge(runs_of(e > thresholds(e)[1]), int(round(gap_s * 100)))
    res = []
    for a, b in out:
        for p0, p1 in c.pieces:
            lo, hi = max(a * HOP, p0), min(b * HOP, p1)
            if hi - lo >= int(MIN_RUN_S * SR):
                res.append((lo, hi))
    return res


def first_word_end(c):
    """End of the clip's first word: a pause of 0.12 s or more, or else an energy dip of at
    least 15 dB below the loudest frame before it, 0.15-0.65 s after the speech starts."""
    runs = word_runs(c)
    s0 = c.pieces[0][0]
    if len(runs) >= 2 and runs[1][0] - runs[0][1] >= int(0.12 * SR):
        return runs[0][1]
    e = frame_db(c.audio[s0:])
    e = np.convolve(e, np.ones(3) / 3, mode="same")
    for i in range(15, min(66, len(e) - 1)):
        if e[i] <= e[i - 1] and e[i] <= e[i + 1] and e[i] < e[:i].max() - 15:
            return s0 + i * HOP
    return None


def first_word_clip(c, text):
    """The first word of a clip as a clip of its own (a backchannel); None if none is found."""
    b = first_word_end(c)
    a = c.pieces[0][0]
    if b is None or not (0.15 * SR <= b - a <= (BACKCHANNEL_MAX_S - 0.02) * SR):
        return None
    if b > c.pieces[0][1]:
        return None
    w = sub_clip(c, a, b, "#word1", text.rstrip(",.!? ") if text else "", hi=b)
    w.pieces = [(w.pieces[0][0], len(w.audio))]
    return w


def chunk_clip(c, min_s):
    """Cut a clip into parts at its pauses (0.12 s or more), each at least min_s long."""
    groups = []
    for r in word_runs(c):
        if groups and (groups[-1][1] - groups[-1][0]) < min_s * SR:
            groups[-1] = (groups[-1][0], r[1])
        else:
            groups.append(r)
    if len(groups) > 1 and groups[-1][1] - groups[-1][0] < min_s * SR:
        last = groups.pop()
        groups[-1] = (groups[-1][0], last[1])
    out = []
    for i, (a, b) in enumerate(groups):
        # the audio of a part ends halfway into the pause, so it carries none of the next part
        # the speech of a part is the clip's speech between these cut points
        lo = (groups[i - 1][1] + a) // 2 if i else None
        hi = (b + groups[i + 1][0]) // 2 if i + 1 < len(groups) else None
        out.append(sub_clip(c, a if lo is None else lo, b if hi is None else hi, f"#part{i + 1}", "", lo, hi))
    return out


# --------------------------------------------------------------------------- noise, render, truth


def colored_noise(n, kind, rng):
    if kind == "white":
        return rng.standard_normal(n)
    spec = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    f = np.fft.rfftfreq(n, 1 / SR)
    f[0] = f[1]
    spec *= f ** (-0.5 if kind == "pink" else -1.0)
    spec[f < 20] = 0
    return np.fft.irfft(spec, n)


def babble(n, sources, rng, voices):
    """Six overlapping streams of time-reversed speech from voices that are not in the call: the
    Amazon Queen cutaway scenes, or (for calls with Amazon Queen voices) the Czech side characters
    of Fillets NG."""
    pool = []
    if sources.have("queen") and not any(v.startswith("queen") for v in voices):
        _, table = sources.queen_table()
        pool = [("queen", k) for k in sorted(k for k in table if re.match(r"^C\d\d[A-Z]_\d{3}\.SB$", k))[::5]]
    elif sources.have("fillets-cs") and not any(v.startswith("fillets-cs") for v in voices):
        for lv in sources.fillets_levels("cs"):
            for lid, font, text, path in sources.fillets_lines("cs", lv):
                if font not in ("font_small", "font_big"):
                    pool.append(("cs", lv, lid, font, text, path))
    if not pool:
        raise RuntimeError("no material for babble noise")
    order = rng.permutation(len(pool)).tolist()
    out = np.zeros(n)
    k = 0
    for _stream in range(6):
        pos = int(rng.integers(0, SR))
        while pos < n and k < len(order) * 3:
            item = pool[order[k % len(order)]]
            k += 1
            c = sources.fillets_clip(*item) if item[0] == "cs" else sources.queen_clip(item[1], "babble")
            if c is None:
                continue
            y = c.audio[::-1] / c.level
            m = min(len(y), n - pos)
            out[pos:pos + m] += y[:m]
            pos += m + int(rng.uniform(0.0, 0.3) * SR)
    return out


def room_response(rt60, drr_db, rng):
    """A synthetic room impulse response: the direct sound, then from 4 ms on a tail of noise that
    decays by 60 dB in rt60 seconds (low-passed at 4 kHz, as walls and air absorb the highs), with
    the direct-to-reverberant energy ratio drr_db (a voice near the microphone: +6 dB; one across
    the table: about -2 dB)."""
    m = int(rt60 * SR)
    t = np.arange(m) / SR
    tail = rng.standard_normal(m) * np.exp(-6.908 * t / rt60)
    tail[:int(0.004 * SR)] = 0.0
    tail = signal.sosfilt(signal.butter(2, 4000.0, "lowpass", fs=SR, output="sos"), tail)
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail ** 2))
    tail[0] = 1.0
    return tail


def g711_ok(path, tag):
    with open(path, "rb") as f:
        head = f.read(64)
    return head[:4] == b"RIFF" and struct.unpack("<H", head[20:22])[0] == tag


def render(b, spec, sources):
    """Mix the placed clips, add noise, apply the telephone path, write wav and truth."""
    rng = np.random.default_rng(b.seed ^ 0x5EED)
    gains = {i: 0.0 for i in range(len(b.parties))}
    if spec.get("quiet") is not None:
        gains[spec["quiet"]] = -10.0
    end = max(p.spans()[-1][1] for p in b.placed)
    n = end + int(rng.uniform(0.5, 1.0) * SR) + int(MARGIN_S * SR)
    room = spec.get("room")  # each party through its own room response; else one track, as always
    tracks = np.zeros((len(b.parties) if room else 1, n))
    for p in b.placed:
        jitter = rng.uniform(-2.0, 2.0)
        g = 10 ** ((CLIP_LEVEL_DBFS + gains[p.party] + jitter) / 20) / p.clip.level
        a = p.at
        y = p.clip.audio * g
        tracks[p.party if room else 0, a:a + len(y)] += y
    if room:
        for i in range(len(b.parties)):
            h = room_response(room["rt60"], room["drr_db"][i], rng)
            tracks[i] = signal.fftconvolve(tracks[i], h)[:n]
    mix = tracks.sum(axis=0)
    speech = np.zeros(n, dtype=bool)
    for p in b.placed:
        for s0, s1 in p.spans():
            speech[s0:s1] = True
    active = float(np.sqrt(np.mean(mix[speech] ** 2)))
    noise = spec.get("noise")
    noise_info = None
    if noise:
        kind, snr = noise
        if kind == "babble":
            nz = babble(n, sources, rng, [pp["voice"] for pp in b.parties])
        else:
            nz = colored_noise(n, kind, rng)
        nz *= active / np.sqrt(np.mean(nz ** 2)) * 10 ** (-snr / 20)
        mix += nz
        noise_info = {"type": kind, "snr_db": snr, "reference": "active speech level of the clean mix"}
        if kind == "babble":
            noise_info["material"] = "time-reversed speech, 6 streams, voices not in the call"
    else:  # a room-tone floor, so that silence is never digital zero
        nz = colored_noise(n, "pink", rng)
        nz *= active / np.sqrt(np.mean(nz ** 2)) * 10 ** (-50 / 20)
        mix += nz
        noise_info = {"type": "pink", "snr_db": 50, "reference": "active speech level of the clean mix"}
    tel = spec.get("tel")
    out_sr = SR
    if tel:
        bp = signal.butter(4, [300.0, 3400.0], "bandpass", fs=SR, output="sos")
        mix = signal.sosfiltfilt(bp, mix)
        mix = signal.resample_poly(mix, 1, 2)
        out_sr = 8000
    peak = float(np.max(np.abs(mix)))
    if peak > 0.89:
        mix *= 0.89 / peak
    pcm = np.clip(np.floor(mix * 32768 + 0.5), -32768, 32767).astype(np.int16)
    return pcm, out_sr, gains, noise_info


def union(spans):
    out = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def total(spans):
    return sum(b - a for a, b in spans)


def intersect(x, y):
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if a < b:
            out.append([a, b])
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def truth(b, spec, pcm, out_sr, gains, noise_info, versions):
    name = spec["name"]
    k = SR // out_sr

    def to_out(s, up):
        return -(-s // k) if up else s // k

    def sec(s):
        return round(s / out_sr, 3)

    utts = []
    for p in b.placed:
        sp = p.spans()
        texts = split_text(p.clip.text, len(sp))
        for i, (s0, s1) in enumerate(sp):
            kind = p.kind if (i == 0 or p.kind == "backchannel") else "speech"
            a, e = to_out(s0, False), to_out(s1, True)
            utts.append(dict(channel=p.party, role=b.parties[p.party]["role"], start=sec(a), end=sec(e),
                             start_sample=a, end_sample=e, text=texts[i], kind=kind, source=p.clip.id))
    utts.sort(key=lambda u: (u["start_sample"], u["channel"]))
    roles = [pp["role"] for pp in b.parties]
    per = {r: union([[u["start_sample"], u["end_sample"]] for u in utts if u["role"] == r]) for r in roles}
    talk = {r: total(per[r]) for r in roles}
    allsp = sum(talk.values())
    ov = []
    for i in range(len(roles)):
        for j in range(i + 1, len(roles)):
            ov += intersect(per[roles[i]], per[roles[j]])
    overlap = total(union(ov))
    every = union([[u["start_sample"], u["end_sample"]] for u in utts])
    ls = {"start": 0.0, "end": 0.0, "duration": 0.0}
    for x, y in zip(every, every[1:]):
        if y[0] - x[1] > round(ls["duration"] * out_sr):
            ls = {"start": sec(x[1]), "end": sec(y[0]), "duration": sec(y[0] - x[1])}
    inter = []
    for u in utts:
        if u["kind"] != "interruption":
            continue
        for v in utts:
            if v["role"] != u["role"] and v["kind"] != "backchannel" and v["start_sample"] < u["start_sample"] < v["end_sample"]:
                o = min(u["end_sample"], v["end_sample"]) - u["start_sample"]
                assert o > 0.5 * out_sr and v["end_sample"] <= u["end_sample"], (name, u, v)
                inter.append(dict(at=u["start"], by=u["role"], of=v["role"]))
                break
        else:
            raise AssertionError(f"{name}: interruption at {u['start']} overlaps nobody")
    bcs = [dict(at=u["start"], by=u["role"]) for u in utts if u["kind"] == "backchannel"]
    for u in utts:
        if u["kind"] == "backchannel":
            assert u["end"] - u["start"] < BACKCHANNEL_MAX_S, (name, u)
    # the same party never overlaps itself
    for r in roles:
        own = sorted([u["start_sample"], u["end_sample"]] for u in utts if u["role"] == r)
        for x, y in zip(own, own[1:]):
            assert y[0] >= x[1], (name, r, x, y)
    files = {"stereo": "", "mono": f"{name}.wav", "mulaw": ""}
    codec = {None: "pcm_s16le", "mulaw": "G.711 mu-law", "alaw": "G.711 A-law"}[spec.get("tel")]
    gen = {
        "builder": "scripts/make_real_calls.py",
        "seed": b.seed,
        "kind": spec["kind"],
        "variant": "telephone" if spec.get("tel") else "wideband",
        "codec": codec,
        "telephone": ({"band_hz": [300, 3400], "filter": "Butterworth band-pass, order 4, zero phase",
                       "sample_rate": 8000} if spec.get("tel") else None),
        "noise": noise_info,
        "party_gain_db": {b.parties[i]["role"]: g for i, g in gains.items()},
        "clip_level_dbfs": CLIP_LEVEL_DBFS,
        "clip_level_jitter_db": 2.0,
        "speech_detection": {"frame_s": 0.01, "core_below_peak_db": CORE_BELOW_PEAK_DB,
                             "extend_below_peak_db": BELOW_PEAK_DB, "extend_s": EXTEND_S,
                             "above_floor_db": ABOVE_FLOOR_DB, "split_pause_s": SPLIT_GAP_S,
                             "min_run_s": MIN_RUN_S, "highpass_hz": 80},
        "pause_s": list(spec.get("pause", (0.1, 1.5))),
        "interruption_overlap_s": [0.5, 1.5],
        "sources": [dict(channel=i, role=pp["role"], voice=pp["voice"], source=pp["source"],
                         clips=sorted({u["source"] for u in utts if u["channel"] == i}))
                    for i, pp in enumerate(b.parties)],
        "versions": versions,
    }
    gen.update(b.info)
    if spec.get("room"):
        gen["room"] = {"rt60_s": spec["room"]["rt60"],
                       "direct_to_reverberant_db": {b.parties[i]["role"]: d
                                                    for i, d in enumerate(spec["room"]["drr_db"])},
                       "response": "direct sound + exponentially decaying noise from 4 ms, low-passed at 4 kHz"}
    if spec.get("thin"):
        gen["thin"] = {"party": b.parties[spec["thin"][0]]["role"], "keep": spec["thin"][1]}
    if spec.get("same"):
        gen["timeline_of"] = spec["same"]
    lang = spec.get("lang") or {"kokoro": "en", "kokoro-mono": "en", "queen": "en", "queen-mono": "en",
                                "libri": "en"}.get(spec["kind"], "en")
    if spec["kind"] == "asterisk-kokoro":
        lang = spec["lang"]
    doc = {
        "name": name,
        "language": lang,
        "duration": round(len(pcm) / out_sr, 3),
        "sample_rate": out_sr,
        "files": files,
        "generator": gen,
        "channels": [dict(channel=i, role=pp["role"], voice=pp["voice"], gender=pp["gender"],
                          gender_by=pp["gender_by"]) for i, pp in enumerate(b.parties)],
        "speakers": len(b.parties),
        "split": spec["split"],
        "utterances": utts,
        "talk_time": {r: sec(talk[r]) for r in roles},
        "talk_share": {r: round(talk[r] / allsp, 3) if allsp else 0.0 for r in roles},
        "overlap": sec(overlap),
        "longest_silence": ls,
        "interruptions": inter,
        "backchannels": bcs,
    }
    return doc


def pitch_genders(b):
    for pp, i in zip(b.parties, range(len(b.parties))):
        if pp["gender"]:
            continue
        f0s = [median_f0(p.clip) for p in b.placed if p.party == i and p.kind != "backchannel"]
        f0s = [f for f in f0s if f]
        if f0s:
            med = float(np.median(f0s))
            pp["gender"] = "female" if med >= 165 else "male"
            pp["median_f0_hz"] = round(med)


def write(doc, pcm, out_sr, spec, outdir):
    os.makedirs(outdir, exist_ok=True)
    wav = os.path.join(outdir, doc["name"] + ".wav")
    subtype = {None: "PCM_16", "mulaw": "ULAW", "alaw": "ALAW"}[spec.get("tel")]
    sf.write(wav, pcm, out_sr, subtype=subtype, format="WAV")
    if spec.get("tel"):
        assert g711_ok(wav, 7 if spec["tel"] == "mulaw" else 6), wav
    with open(os.path.join(outdir, doc["name"] + ".json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


# --------------------------------------------------------------------------- main


def needs(spec):
    k = spec["kind"]
    if k in ("fillets", "fillets-mono"):
        return ["fillets-" + spec["lang"]]
    if k.startswith("queen"):
        return ["queen"]
    if k.startswith("kokoro"):
        return ["kokoro"]
    if k == "asterisk-mono":
        return ["asterisk-" + spec["lang"]]
    if k == "asterisk-kokoro":
        return ["asterisk-" + spec["lang"], "kokoro"]
    if k == "libri":
        return ["libri"]
    raise KeyError(k)


def resolve(calls):
    by = {c["name"]: c for c in calls}
    out = []
    for c in calls:
        if "same" in c:
            base = dict(by[c["same"]])
            base.update(c)
            out.append(base)
        else:
            out.append(c)
    return out


def build_all(sources, specs, outroot, flat=False, only=None):
    """Build and write every spec (or those in `only`; the others that take lines from a shared
    stream of source lines are still laid out, so every recording gets the same lines)."""
    streams = {}
    rows = []
    skipped = []
    timelines = {}
    bases = {s["same"] for s in specs if s.get("same") and (not only or s["name"] in only)}
    for spec in specs:
        miss = [w for w in needs(spec) if not sources.have(w)]
        if miss:
            skipped.append((spec["name"], ", ".join(miss)))
            continue
        if only and spec["name"] not in only:
            if spec["kind"] in ("fillets", "fillets-mono", "queen", "queen-mono") or spec["name"] in bases:
                if not spec.get("same"):
                    b = Builder(sources, spec, streams)
                    b.build()
                    pitch_genders(b)
                    timelines[spec["name"]] = b
            continue
        if spec.get("same") and spec["same"] in timelines:
            b = timelines[spec["same"]]
            b2 = Builder(sources, spec, streams)
            b2.placed, b2.parties, b2.info = b.placed, [dict(p) for p in b.parties], dict(b.info)
            b2.seed = b.seed
            b = b2
        else:
            b = Builder(sources, spec, streams)
            b.build()
            pitch_genders(b)
            timelines[spec["name"]] = b
        pcm, out_sr, gains, noise_info = render(b, spec, sources)
        doc = truth(b, spec, pcm, out_sr, gains, noise_info, sources.versions)
        for ch, pp in zip(doc["channels"], b.parties):
            if "median_f0_hz" in pp:
                ch["median_f0_hz"] = pp["median_f0_hz"]
        outdir = outroot if flat else os.path.join(outroot, spec["split"])
        write(doc, pcm, out_sr, spec, outdir)
        variants = [doc["generator"]["variant"]]
        if spec.get("tel"):
            variants.append(spec["tel"])
        if spec.get("quiet") is not None:
            variants.append(f"{ROLES[spec['quiet']]} -10 dB")
        if spec.get("room"):
            variants.append(f"room rt60 {spec['room']['rt60']} s")
        if spec.get("thin"):
            variants.append(f"{ROLES[spec['thin'][0]]} keeps {spec['thin'][1]:.0%} of turns")
        nz = doc["generator"]["noise"]
        if nz and nz["snr_db"] < 40:
            variants.append(f"{nz['type']} {nz['snr_db']} dB")
        if doc["interruptions"]:
            variants.append(f"{len(doc['interruptions'])} intr")
        if doc["backchannels"]:
            variants.append(f"{len(doc['backchannels'])} bc")
        srcs = "+".join(sorted({c["voice"].split("-")[0] for c in doc["channels"]}))
        voices = ", ".join(c["voice"] for c in doc["channels"])
        rows.append((doc["name"], doc["split"], doc["duration"], doc["speakers"], srcs, voices, "; ".join(variants)))
        print(f"built {doc['name']}: {doc['duration']} s", file=sys.stderr, flush=True)
    return rows, skipped


def print_table(rows, skipped):
    head = ("name", "split", "dur s", "spk", "sources", "voices", "variants")
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join(f"{{:{'>' if i in (2, 3) else '<'}{w[i]}}}" for i in range(len(head)))
    print(line.format(*head))
    for r in rows:
        print(line.format(*r))
    for split in ("tune", "test", "long"):
        sel = [r for r in rows if r[1] == split]
        if sel:
            print(f"{split}: {len(sel)} recordings, {sum(r[2] for r in sel) / 60:.1f} min "
                  f"({sum(1 for r in sel if r[3] == 1)} one-voice, {sum(1 for r in sel if r[3] == 3)} three-voice)")
    for name, why in skipped:
        print(f"skipped {name}: source missing ({why})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(ROOT, ".cache/real-src"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache/real-calls"))
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--fixtures", action="store_true", help="rebuild fixtures/real/ instead")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--speakers", action="store_true", help="print the median pitch of source voices")
    args = ap.parse_args()
    sources = Sources(args.src)
    if args.list:
        for c in resolve(CALLS):
            print(c["name"], c["split"], c["kind"])
        return 0
    if args.speakers:
        return speakers_report(sources)
    check_splits(resolve(CALLS) + resolve(FIXTURES))
    if args.fixtures:
        specs, outroot, flat = resolve(FIXTURES), os.path.join(ROOT, "fixtures/real"), True
    else:
        specs, outroot, flat = resolve(CALLS), args.out, False
    if args.only:
        unknown = set(args.only) - {s["name"] for s in specs}
        if unknown:
            print(f"error: no recording named {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    rows, skipped = build_all(sources, specs, outroot, flat, set(args.only or []))
    print_table(rows, skipped)
    return 0


def speakers_report(s):
    if s.have("fillets-nl"):
        for lang in ("nl", "cs"):
            per = {}
            for lv in s.fillets_levels(lang):
                for lid, font, text, path in s.fillets_lines(lang, lv):
                    if len(per.get((font, lv), [])) < 4:
                        c = s.fillets_clip(lang, lv, lid, font, text, path)
                        f = median_f0(c) if c else None
                        if f:
                            per.setdefault((font, lv), []).append(f)
            fonts = sorted({k[0] for k in per})
            for font in fonts:
                lv_meds = [np.median(v) for (f, lv), v in per.items() if f == font]
                print(f"fillets {lang} {font}: {len(lv_meds)} levels, median f0 {np.median(lv_meds):.0f} Hz, "
                      f"levels 10-90 % {np.percentile(lv_meds, 10):.0f}-{np.percentile(lv_meds, 90):.0f}")
                if font not in ("font_small", "font_big"):
                    print("   ", {lv: round(float(np.median(v))) for (f, lv), v in per.items() if f == font})
    if s.have("queen"):
        _, table = s.queen_table()
        prefixes = sorted({n[:2] for n in table if re.match(r"^\d{6}[JP]\d\.SB$", n)})
        for p in prefixes:
            d = s.queen_dialogue(p)
            pf, dur = [], 0.0
            for name, spk in d:
                if spk != "joe":
                    c = s.queen_clip(name, spk)
                    if c:
                        dur += c.speech_s
                        if len(pf) < 8:
                            f = median_f0(c)
                            if f:
                                pf.append(f)
            jf = [median_f0(s.queen_clip(n, spk)) for n, spk in d if spk == "joe"][:6]
            jf = [f for f in jf if f]
            print(f"queen {p}: person {dur:.0f} s f0 {np.median(pf) if pf else 0:.0f} Hz; "
                  f"joe f0 {np.median(jf) if jf else 0:.0f} Hz ({len(d)} clips)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
