"""scipy.signal.decimate(x, q, ftype='fir', zero_phase=True) and the firwin taps it uses."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
x = np.fromfile(args["input"], dtype="<f8")
q = int(args["q"])
y = signal.decimate(x, q, ftype="fir", zero_phase=True)
taps = signal.firwin(20 * q + 1, 1.0 / q, window="hamming")
y.astype("<f8").tofile(args["out"])
taps.astype("<f8").tofile(args["taps"])
print(json.dumps({"scipy": scipy.__version__, "n": int(y.size)}))
