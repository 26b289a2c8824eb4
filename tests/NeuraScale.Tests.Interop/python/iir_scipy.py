"""Reference IIR designs and filtering: scipy.signal.butter(output='sos'), sosfilt, sosfiltfilt, iirnotch, filtfilt."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
x = np.fromfile(args["input"], dtype="<f8")
for case in args["cases"]:
    fs = case["fs"]
    if case["kind"] == "notch":
        b, a = signal.iirnotch(case["freq"], case["q"], fs=fs)
        sos = signal.tf2sos(b, a)
        np.concatenate([b, a]).astype("<f8").tofile(case["sos"])
        signal.filtfilt(b, a, x).astype("<f8").tofile(case["zero_phase"])
        signal.lfilter(b, a, x).astype("<f8").tofile(case["causal"])
        continue
    wn = case["low"] if case["kind"] in ("lowpass", "highpass") else [case["low"], case["high"]]
    sos = signal.butter(case["order"], wn, btype=case["kind"], output="sos", fs=fs)
    sos.astype("<f8").tofile(case["sos"])
    signal.sosfiltfilt(sos, x).astype("<f8").tofile(case["zero_phase"])
    signal.sosfilt(sos, x).astype("<f8").tofile(case["causal"])
print(json.dumps({"scipy": scipy.__version__}))
