"""The Berger effect on the real EEGMMIDB recordings, computed independently: MNE reads each EDF, SciPy's Welch (2 s
Hann segments, 50 % overlap) gives the PSD of O1, Oz and O2, numpy.trapz the band powers; relative alpha is 8-13 Hz
over the "total" band (default 1-40 Hz), the peak the largest PSD bin in 1-40 Hz."""
import json
import sys

import mne
import numpy as np
from scipy import signal

args = json.load(sys.stdin)
total_lo, total_hi = args.get("total", [1, 40])
result = {}
for name, path in args["files"].items():
    raw = mne.io.read_raw_edf(path, preload=True, encoding="latin1", verbose="error")
    fs = float(raw.info["sfreq"])
    channels = {}
    for label in args["channels"]:
        x = raw.get_data(picks=[label])[0] * 1e6  # µV, the file's unit
        f, pxx = signal.welch(x, fs=fs, window="hann", nperseg=int(2 * fs), noverlap=int(fs), scaling="density")

        def band(lo, hi):
            m = (f >= lo) & (f <= hi)
            return float(np.trapz(pxx[m], f[m]))

        search = (f >= 1) & (f <= 40)
        channels[label] = {
            "relative_alpha": band(8, 13) / band(total_lo, total_hi),
            "alpha_uv2": band(8, 13),
            "peak_hz": float(f[search][np.argmax(pxx[search])]),
            "sd_uv": float(np.std(x, ddof=1)),
        }
    result[name] = channels
print(json.dumps(result))
