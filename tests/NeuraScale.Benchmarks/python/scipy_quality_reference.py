"""Times the spectral part of the signal-quality figures in SciPy (Welch with nperseg = 2 fs, half overlap, over every
channel; band powers; line-noise floor) on a float64 file of channel-major samples: the reference beside
SignalQuality.Assess. Prints the median seconds of `repeats` runs."""
import sys
import time

import numpy as np
from scipy import signal

path, channels, fs, repeats = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, dtype="<f8").reshape(channels, -1)


def once():
    n = int(round(2 * fs))
    f, p = signal.welch(x, fs=fs, window="hann", nperseg=n, noverlap=n // 2, detrend="constant", axis=-1)
    for lo, hi in ((1, 40), (40, 100)):
        m = (f >= lo) & (f <= hi) & (np.abs(f - 50) >= 2) & (np.abs(f - 100) >= 2)
        np.trapz(p[:, m], f[m], axis=-1)
    d = np.abs(f - 50)
    np.median(p[:, (d >= 2) & (d <= 5)], axis=-1)
    np.trapz(p[:, d <= 1], f[d <= 1], axis=-1)


once()
times = []
for _ in range(repeats):
    t = time.perf_counter()
    once()
    times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2])
