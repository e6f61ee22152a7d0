#!/usr/bin/env python3
"""Word error rate of `medlyt transcribe` on the scripted calls in .cache/wer/.

Usage:
    eval_wer.py [--set calls|words] [--split tune|test|all] [--variant stereo|mono|8k|all]
                [--lang da|en|all] [--out FILE.tsv] [--show NAME] [--keep DIR] [--timeout S]
                [-- MEDLYT_ARGS...]

--set calls (default): the call scripts rendered with espeak-ng (.cache/wer/<split>/).
--set words: lists of single Danish nouns said by one real person (.cache/wer/words/<split>/,
built by scripts/make-danish-words.sh); variants mono and 8k only.

Each call is transcribed with
    MEDLYT transcribe FILE --format json -q --language LANG MEDLYT_ARGS...
(MEDLYT: $MEDLYT or target/release/medlyt) and scored against the utterance texts of its
truth file. The reference is the utterances in order of start time, the hypothesis the
transcript segments in order of start time (both channels together for stereo); the word
error rate is (substitutions + deletions + insertions) / reference words, from a Levenshtein
alignment of the two word sequences. Totals pool the edits over the files of a group.

Normalisation, on both sides: NFKC, lowercase; every character that is not a letter, a digit or
a combining mark becomes a space, except apostrophes (dropped: "don't" = "dont") and "." "," ":"
between two digits (dropped: "4.500" = "4500"); hyphens split words ("e-Boks" = "e boks").
Numbers are compared as written: "12" against "tolv" counts as an error.

Python standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPLITS = os.path.join(ROOT, "scripts", "wer-scripts", "splits.tsv")
MATERIAL = os.path.join(ROOT, ".cache", "wer")
WORDS = os.path.join(MATERIAL, "words")
VARIANTS = {"stereo": "stereo", "mono": "mono", "8k": "mulaw"}  # variant -> key in "files"
APOSTROPHES = "'\u2019\u02bc"
DIGIT_JOINERS = ".,:"
NUMBERS_NOTE = "numbers are compared as written: digits against words (\"12\" / \"tolv\") count as errors"


def normalise(text):
    """The word list of `text` after the normalisation described above."""
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat[0] in "LNM":
            out.append(ch)
        elif ch in APOSTROPHES:
            continue
        elif (ch in DIGIT_JOINERS and 0 < i < len(text) - 1
              and text[i - 1].isdigit() and text[i + 1].isdigit()):
            continue
        else:
            out.append(" ")
    return "".join(out).split()


def align(ref, hyp):
    """Levenshtein alignment of two word lists: a list of (op, ref word, hyp word).

    op is "=" (match), "S", "D" (ref word missing) or "I" (extra hyp word). Among the
    alignments with the fewest edits, substitutions are preferred to a deletion plus an
    insertion, so the counts are those of the usual WER definition.
    """
    n, m = len(ref), len(hyp)
    # cost[i][j]: edits to turn ref[:i] into hyp[:j]
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i
    for j in range(1, m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        row, prev, r = cost[i], cost[i - 1], ref[i - 1]
        for j in range(1, m + 1):
            sub = prev[j - 1] + (r != hyp[j - 1])
            row[j] = min(sub, prev[j] + 1, row[j - 1] + 1)
    ops = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            ops.append(("=" if ref[i - 1] == hyp[j - 1] else "S", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            ops.append(("D", ref[i - 1], ""))
            i -= 1
        else:
            ops.append(("I", "", hyp[j - 1]))
            j -= 1
    ops.reverse()
    return ops


def counts(ops):
    return {k: sum(1 for op, _, _ in ops if op == k) for k in "SDI"}


def reference_words(truth):
    utts = sorted(truth["utterances"], key=lambda u: (u["start"], u["channel"]))
    return normalise(" ".join(u["text"] for u in utts))


def hypothesis_words(transcript):
    segs = sorted(transcript.get("segments", []), key=lambda s: (s["start"], s.get("track", 0)))
    return normalise(" ".join(s["text"] for s in segs))


def word_rows():
    """(name, split) of the word lists in .cache/wer/words/."""
    rows = []
    for sp in ("tune", "test"):
        d = os.path.join(WORDS, sp)
        names = sorted(f[:-5] for f in os.listdir(d) if f.endswith(".json")) if os.path.isdir(d) else []
        rows.extend((n, sp) for n in names)
    if not rows:
        sys.exit(f"no word lists in {os.path.relpath(WORDS, ROOT)}: run scripts/make-danish-words.sh")
    return rows


def load_calls(split, lang, variant, words=False):
    """(name, split, lang, variant, wav path, truth) for every selected call."""
    calls = []
    if words:
        rows = word_rows()
    else:
        with open(SPLITS, encoding="utf-8") as f:
            rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    variants = list(VARIANTS) if variant == "all" else [variant]
    for name, sp in rows:
        if split != "all" and sp != split:
            continue
        path = os.path.join(WORDS if words else MATERIAL, sp, f"{name}.json")
        if not os.path.exists(path):
            sys.exit(f"missing {os.path.relpath(path, ROOT)}: run scripts/make-wer-material.sh")
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
        if lang != "all" and truth["language"] != lang:
            continue
        for v in variants:
            if VARIANTS[v] not in truth["files"]:
                continue
            wav = os.path.join(os.path.dirname(path), truth["files"][VARIANTS[v]])
            calls.append((name, sp, truth["language"], v, wav, truth))
    return calls


def transcribe(medlyt, wav, lang, extra, timeout):
    """(transcript dict or None, error text or "", wall seconds)."""
    cmd = [medlyt, "transcribe", wav, "--format", "json", "-q", "--language", lang, *extra]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s", time.monotonic() - t0
    except OSError as err:
        return None, str(err), time.monotonic() - t0
    wall = time.monotonic() - t0
    if p.returncode != 0:
        lines = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {p.returncode}: {lines[-1] if lines else 'no message'}", wall
    try:
        return json.loads(p.stdout), "", wall
    except ValueError as err:
        return None, f"bad JSON from medlyt: {err}", wall


def show_alignment(name, variant, ops, transcript, width=100):
    print(f"\n== alignment of {name} ({variant}); = match, S substitution, D deletion, I insertion")
    for s in sorted(transcript.get("segments", []), key=lambda s: s["start"]):
        print(f"  hyp [{s['start']:7.2f} {s['end']:7.2f}] track {s.get('track', '?')}: {s['text'].strip()}")
    lines = ["", "", ""]
    for op, r, h in ops:
        w = max(len(r), len(h), 1)
        if len(lines[0]) + w + 1 > width:
            print(f"  REF {lines[0]}\n  HYP {lines[1]}\n      {lines[2]}\n")
            lines = ["", "", ""]
        lines[0] += (r or "*" * len(h)).ljust(w) + " "
        lines[1] += (h or "*" * len(r)).ljust(w) + " "
        lines[2] += ("" if op == "=" else op).ljust(w) + " "
    if lines[0]:
        print(f"  REF {lines[0]}\n  HYP {lines[1]}\n      {lines[2]}")


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    ap = argparse.ArgumentParser(description="Word error rate of medlyt transcribe on .cache/wer.",
                                 epilog="Arguments after -- go to medlyt transcribe.")
    ap.add_argument("--set", choices=["calls", "words"], default="calls",
                    help="espeak-ng call scripts (default) or a real voice's Danish word lists")
    ap.add_argument("--split", choices=["tune", "test", "all"],
                    help="default tune; all with --show")
    ap.add_argument("--variant", choices=["stereo", "mono", "8k", "all"],
                    help="default stereo (calls), mono (words)")
    ap.add_argument("--lang", choices=["da", "en", "all"], default="all")
    ap.add_argument("--out", metavar="FILE.tsv", help="write the per-file rows as TSV")
    ap.add_argument("--show", metavar="NAME", action="append", default=[],
                    help="only this call (repeatable), and print its alignment")
    ap.add_argument("--keep", metavar="DIR", help="keep each transcript as DIR/NAME-VARIANT.json")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per file (default 900)")
    args = ap.parse_args(argv)

    medlyt = os.environ.get("MEDLYT", os.path.join(ROOT, "target", "release", "medlyt"))
    if not os.access(medlyt, os.X_OK):
        sys.exit(f"no {medlyt}: build it with cargo build --release -p medlyt-cli")
    split = args.split or ("all" if args.show else "tune")
    words = args.set == "words"
    variant = args.variant or ("mono" if words else "stereo")
    calls = load_calls(split, args.lang, variant, words)
    if args.show:
        calls = [c for c in calls if c[0] in args.show]
    if not calls:
        sys.exit("no calls selected")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    print(f"medlyt transcribe ... --language LANG {' '.join(extra)}".rstrip())
    print(f"note: {NUMBERS_NOTE}")
    head = f"{'name':30} {'variant':7} {'split':5} {'ref':>5} {'sub':>5} {'del':>5} {'ins':>5} {'WER':>7} {'secs':>7}"
    print(head)
    rows = []
    for name, split, lang, variant, wav, truth in calls:
        transcript, error, wall = transcribe(medlyt, wav, lang, extra, args.timeout)
        ref = reference_words(truth)
        row = {"name": name, "variant": variant, "split": split, "lang": lang, "ref": len(ref),
               "sub": "", "del": "", "ins": "", "wer": "", "secs": round(wall, 2),
               "audio": truth["duration"], "error": error}
        if transcript is not None:
            if args.keep:
                with open(os.path.join(args.keep, f"{name}-{variant}.json"), "w", encoding="utf-8") as f:
                    json.dump(transcript, f, ensure_ascii=False, indent=1)
            ops = align(ref, hypothesis_words(transcript))
            c = counts(ops)
            row.update({"sub": c["S"], "del": c["D"], "ins": c["I"]})
            row["wer"] = round((c["S"] + c["D"] + c["I"]) / max(len(ref), 1), 4)
            print(f"{name:30} {variant:7} {split:5} {len(ref):5} {c['S']:5} {c['D']:5} {c['I']:5} "
                  f"{100 * row['wer']:6.1f}% {wall:7.1f}", flush=True)
            if name in args.show:
                show_alignment(name, variant, ops, transcript)
        else:
            print(f"{name:30} {variant:7} {split:5} {len(ref):5}  FAILED ({error}) {wall:7.1f}", flush=True)
        rows.append(row)

    if args.out:
        cols = ["name", "variant", "split", "lang", "ref", "sub", "del", "ins", "wer", "secs", "audio", "error"]
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\t".join(cols) + "\n")
            for r in rows:
                f.write("\t".join(str(r[k]).replace("\t", " ") for k in cols) + "\n")

    print("\ntotals: pooled WER = all edits / all reference words; failed files are not in the WER,")
    print(f"the RTF or the audio seconds, but are in the wall seconds; {NUMBERS_NOTE}")
    print(f"{'lang':4} {'split':5} {'variant':7} {'files':>5} {'failed':>6} {'ref':>6} {'sub':>5} {'del':>5} "
          f"{'ins':>5} {'WER':>7} {'wall s':>8} {'audio s':>8} {'RTF':>6}")
    groups = {}
    for r in rows:
        for key in ((r["lang"], r["split"], r["variant"]), ("all", "all", r["variant"])):
            groups.setdefault(key, []).append(r)
    order = sorted(k for k in groups if k[0] != "all") + sorted(k for k in groups if k[0] == "all")
    for key in order:
        g = groups[key]
        ok = [r for r in g if not r["error"]]
        ref = sum(r["ref"] for r in ok)
        s, d, i = (sum(r[k] for r in ok) for k in ("sub", "del", "ins"))
        wall = sum(r["secs"] for r in g)
        audio = sum(r["audio"] for r in ok)
        wer = f"{100 * (s + d + i) / ref:6.1f}%" if ref else "      -"
        rtf = f"{sum(r['secs'] for r in ok) / audio:6.3f}" if audio else "     -"
        print(f"{key[0]:4} {key[1]:5} {key[2]:7} {len(g):5} {len(g) - len(ok):6} {ref:6} {s:5} {d:5} {i:5} "
              f"{wer} {wall:8.1f} {audio:8.1f} {rtf}")
    return 1 if any(r["error"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
