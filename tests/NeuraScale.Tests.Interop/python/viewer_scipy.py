"""A viewer page computed independently: average reference over the channels, then butter(2) high-pass, butter(4)
low-pass and iirnotch(Q=30) applied zero-phase (scipy.signal.sosfiltfilt) over the margin-padded window, then cut to
the page."""
import json
import sys

import numpy as np
from scipy import signal

args = json.load(sys.stdin)
x = np.fromfile(args["input"], dtype="<f8").reshape(args["channels"], -1)
fs = args["fs"]
x = x - x.mean(axis=0)
sos = np.vstack([
    signal.butter(2, args["high_pass"], btype="highpass", output="sos", fs=fs),
    signal.butter(4, args["low_pass"], btype="lowpass", output="sos", fs=fs),
    signal.tf2sos(*signal.iirnotch(args["notch"], 30, fs=fs)),
])
y = signal.sosfiltfilt(sos, x, axis=-1)[:, args["offset"]:args["offset"] + args["length"]]
np.ascontiguousarray(y).astype("<f8").tofile(args["out"])
print(json.dumps({"shape": list(y.shape)}))
