"""Filters a (channels x samples) float64 array the way apply_filter documents: butter/iirnotch + sosfiltfilt or sosfilt."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
x = np.fromfile(args["input"], dtype="<f8").reshape(args["channels"], -1)
fs = args["fs"]
if args["kind"] == "notch":
    freqs = [args["freq"]]
    if args["harmonics"]:
        freqs = [k * args["freq"] for k in range(1, 1000) if k * args["freq"] < fs / 2]
    sos = np.vstack([signal.tf2sos(*signal.iirnotch(f, args["q"], fs=fs)) for f in freqs])
else:
    sos = signal.butter(args["order"], args["wn"], btype=args["kind"], output="sos", fs=fs)
y = signal.sosfiltfilt(sos, x, axis=-1) if args["zero_phase"] else signal.sosfilt(sos, x, axis=-1)
y.astype("<f8").tofile(args["out"])
print(json.dumps({"scipy": scipy.__version__, "sections": int(sos.shape[0])}))
