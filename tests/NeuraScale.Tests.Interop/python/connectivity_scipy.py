"""Reference connectivity: scipy.signal.coherence for every pair; PLV and wPLI over epochs from numpy FFTs (definitions)."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
n_ch = args["channels"]
x = np.fromfile(args["continuous"], dtype="<f8").reshape(n_ch, -1)
coh = np.zeros((n_ch, n_ch, args["nperseg"] // 2 + 1))
for i in range(n_ch):
    for j in range(n_ch):
        _, coh[i, j] = signal.coherence(x[i], x[j], fs=args["fs"], window="hann", nperseg=args["nperseg"],
                                        noverlap=args["noverlap"], detrend="constant")
coh.astype("<f8").tofile(args["coherence_out"])

epochs = np.fromfile(args["epochs"], dtype="<f8").reshape(args["n_epochs"], n_ch, -1)
window = signal.get_window("hann", epochs.shape[-1])
X = np.fft.rfft((epochs - epochs.mean(axis=-1, keepdims=True)) * window, axis=-1)  # (epochs, channels, bins)
S = X[:, :, None, :] * np.conj(X[:, None, :, :])  # (epochs, i, j, bins)
plv = np.abs(np.mean(S / np.abs(S), axis=0))
wpli = np.abs(np.mean(S.imag, axis=0)) / np.mean(np.abs(S.imag), axis=0)
for i in range(n_ch):
    plv[i, i] = 1.0
    wpli[i, i] = 0.0
plv.astype("<f8").tofile(args["plv_out"])
wpli.astype("<f8").tofile(args["wpli_out"])
print(json.dumps({"scipy": scipy.__version__}))
