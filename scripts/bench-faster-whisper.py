#!/usr/bin/env python3
"""Reference speed benchmark: transcribe one recording with faster-whisper.

medlyt compares its own speed with faster-whisper on the same audio and the same Whisper weights
(the CTranslate2 conversion in --model-dir). Run it through scripts/bench-faster-whisper.sh, which
sets up the virtual environment.

Without --per-channel the file is transcribed as faster-whisper normally does it: stereo is mixed
down to mono. With --per-channel the left and right channels are transcribed one after the other,
each with the VAD filter on, the way medlyt transcribes a two-channel call, and totals are printed.

Figures printed: audio seconds, wall seconds with the model load excluded and included, the
real-time factor (transcription wall seconds / audio seconds; below 1 is faster than real time;
with --per-channel, audio seconds is the call's length, so the factor is per call),
CPU seconds of the transcription (user + system, all threads; a check on wall times taken on a
busy machine), peak resident memory of this process, and the number of segments.
"""

import argparse
import os
import resource
import statistics
import sys
import time


# The repository root, so the default model directory does not depend on the working directory.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("audio", help="recording to transcribe (any format ffmpeg/PyAV reads)")
    p.add_argument("--model-dir", default=os.path.join(ROOT, ".cache", "ct2", "base"),
                   help="CTranslate2 Whisper model directory (default: %(default)s)")
    p.add_argument("--language", default="da", help="language code, or 'auto' (default: %(default)s)")
    p.add_argument("--compute-type", default="int8", help="CTranslate2 compute type (default: %(default)s)")
    p.add_argument("--threads", type=int, default=2, help="CPU threads (default: %(default)s)")
    p.add_argument("--beam", type=int, default=1, help="beam size; 1 is greedy (default: %(default)s)")
    p.add_argument("--per-channel", action="store_true",
                   help="transcribe left and right channels separately, VAD filter on")
    p.add_argument("--vad", action="store_true", help="VAD filter on for the mixed transcription too")
    p.add_argument("--no-fallback", action="store_true",
                   help="decode at temperature 0 only (no retries at higher temperatures when a "
                        "window fails the compression-ratio or log-probability checks)")
    p.add_argument("--word-timestamps", action="store_true", help="also compute word times")
    p.add_argument("--repeat", type=int, default=1,
                   help="transcribe this many times with the model loaded once; the median is reported")
    p.add_argument("--text-out", help="write the transcript text here, one segment per line in time order")
    return p.parse_args()


def peak_rss_mib():
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def cpu_seconds():
    # CPU time of this process (all threads): less disturbed than wall time when other work
    # shares the machine.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def channel_count(path):
    import av

    with av.open(path) as container:
        return container.streams.audio[0].codec_context.channels


def transcribe_once(model, args, inputs, vad):
    """Transcribes each input (a path or a 16 kHz float array); returns segments as (label, seg)."""
    language = None if args.language == "auto" else args.language
    out = []
    for label, audio in inputs:
        segments, _info = model.transcribe(
            audio,
            language=language,
            beam_size=args.beam,
            vad_filter=vad,
            word_timestamps=args.word_timestamps,
            **({"temperature": 0.0} if args.no_fallback else {}),
        )
        out.extend((label, s) for s in segments)  # the generator does the work
    return out


def main():
    args = parse_args()
    if not os.path.isfile(os.path.join(args.model_dir, "model.bin")):
        sys.exit(f"error: no model.bin in {args.model_dir} (run scripts/get-models.sh or pass --model-dir)")
    if not os.path.isfile(args.audio):
        sys.exit(f"error: no such file: {args.audio}")

    from faster_whisper import WhisperModel, decode_audio
    import faster_whisper

    if args.per_channel and channel_count(args.audio) != 2:
        sys.exit("error: --per-channel needs a two-channel recording")

    started = time.perf_counter()
    model = WhisperModel(args.model_dir, device="cpu", compute_type=args.compute_type,
                         cpu_threads=args.threads, num_workers=1)
    loaded = time.perf_counter()

    runs = []
    cpu_runs = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        c0 = cpu_seconds()
        # Decoding is part of the timed work, as it is for medlyt.
        if args.per_channel:
            left, right = decode_audio(args.audio, sampling_rate=16000, split_stereo=True)
            inputs = [("left", left), ("right", right)]
            audio_seconds = len(left) / 16000
        else:
            mono = decode_audio(args.audio, sampling_rate=16000)
            inputs = [("mix", mono)]
            audio_seconds = len(mono) / 16000
        segments = transcribe_once(model, args, inputs, vad=args.per_channel or args.vad)
        runs.append(time.perf_counter() - t0)
        cpu_runs.append(cpu_seconds() - c0)
    wall = statistics.median(runs)
    cpu = statistics.median(cpu_runs)
    load = loaded - started

    rows = [
        ("faster-whisper", f"{faster_whisper.__version__} (ctranslate2 {ctranslate2_version()})"),
        ("model", os.path.abspath(args.model_dir)),
        ("mode", "per channel (left, right), VAD on" if args.per_channel
         else "mixed to mono" + (", VAD on" if args.vad else ", VAD off")),
        ("settings", f"language={args.language} compute={args.compute_type} "
                     f"threads={args.threads} beam={args.beam}"
                     + (" temperature=0 only" if args.no_fallback else " temperature fallback on")),
        ("audio seconds", f"{audio_seconds:.2f}"),
        ("model load seconds", f"{load:.2f}"),
        ("wall seconds, load excluded", f"{wall:.2f}" + (f" (median of {len(runs)})" if len(runs) > 1 else "")),
        ("wall seconds, load included", f"{wall + load:.2f}"),
        ("real-time factor", f"{wall / audio_seconds:.3f} (load excluded; {audio_seconds / wall:.1f}x real time)"
         if audio_seconds > 0 else "n/a"),
        ("CPU seconds, load excluded", f"{cpu:.2f} (user + system, all threads)"),
        ("peak RSS MiB", f"{peak_rss_mib():.0f}"),
        ("segments", str(len(segments))),
    ]
    if args.per_channel:
        for label in ("left", "right"):
            rows.append((f"segments {label}", str(sum(1 for lab, _ in segments if lab == label))))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")

    if args.text_out:
        ordered = sorted(segments, key=lambda ls: ls[1].start)
        with open(args.text_out, "w", encoding="utf-8") as f:
            for _label, s in ordered:
                f.write(s.text.strip() + "\n")


def ctranslate2_version():
    try:
        import ctranslate2

        return ctranslate2.__version__
    except ImportError:
        return "?"


if __name__ == "__main__":
    main()
