#!/usr/bin/env python3
"""Scores found RTTM turns against reference RTTM files with pyannote.metrics, as a check of
medlyt's own scorer (crates/diarize/src/eval.rs): no collar, overlapped speech scored.

    check_der.py REFERENCE_DIR FOUND_DIR

Every FOUND_DIR/<file>.rttm is scored against the reference turns of <file> in any
REFERENCE_DIR/*.rttm. Prints DER, miss, false alarm and confusion per file and overall.
"""
import glob
import os
import sys

from pyannote.core import Annotation, Segment
from pyannote.metrics.diarization import DiarizationErrorRate


def read(paths):
    """file id -> Annotation of the SPEAKER lines in `paths`."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if len(fields) < 8 or fields[0] != "SPEAKER":
                    continue
                start, dur = float(fields[3]), float(fields[4])
                if dur <= 0:
                    continue
                ann = out.setdefault(fields[1], Annotation(uri=fields[1]))
                ann[Segment(start, start + dur), len(ann)] = fields[7]
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    refs = read(glob.glob(os.path.join(sys.argv[1], "*.rttm")))
    found = read(glob.glob(os.path.join(sys.argv[2], "*.rttm")))
    metric = DiarizationErrorRate(collar=0.0, skip_overlap=False)
    print(f"{'recording':<36} {'DER%':>6} {'miss%':>6} {'fa%':>6} {'conf%':>6}  (pyannote.metrics)")
    for name in sorted(found):
        if name not in refs:
            print(f"{name:<36} no reference turns")
            continue
        c = metric(refs[name], found[name], detailed=True)
        total = max(c["total"], 1e-9)
        print(
            f"{name:<36} {100 * c['diarization error rate']:>6.1f} "
            f"{100 * c['missed detection'] / total:>6.1f} "
            f"{100 * c['false alarm'] / total:>6.1f} {100 * c['confusion'] / total:>6.1f}"
        )
    print(f"{'overall':<36} {100 * abs(metric):>6.1f}")


if __name__ == "__main__":
    main()
