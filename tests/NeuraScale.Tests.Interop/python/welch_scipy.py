"""Reference spectra: scipy.signal.welch (Hann, constant detrend) and numpy.trapz band powers, coherence."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
x = np.fromfile(args["input"], dtype="<f8")
for case in args["cases"]:
    f, p = signal.welch(x, fs=case["fs"], window="hann", nperseg=case["nperseg"], noverlap=case["noverlap"],
                        detrend="constant", scaling=case["scaling"])
    p.astype("<f8").tofile(case["psd"])
    bands = []
    for low, high in case["bands"]:
        mask = (f >= low) & (f <= high)
        bands.append(float(np.trapz(p[mask], f[mask])))
    case["band_powers"] = bands
print(json.dumps({"scipy": scipy.__version__, "cases": args["cases"]}))
