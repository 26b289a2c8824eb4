"""SciPy's time for the work SignalProcessingBenchmarks does: 64 channels x 1 h at 1 kHz, one process, float64."""
import json
import time

import numpy as np
import scipy
from scipy import signal

CHANNELS, SAMPLES, RATE, SEGMENT = 64, 3_600_000, 1000.0, 2000
x = np.random.default_rng(20261125).random((CHANNELS, SAMPLES)) - 0.5
sos = signal.butter(4, [1, 40], btype="bandpass", output="sos", fs=RATE)


def best_of(runs, work):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times), sum(times) / len(times)


results = {
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "sosfiltfilt_s": best_of(3, lambda: signal.sosfiltfilt(sos, x, axis=-1)),
    "welch_s": best_of(3, lambda: signal.welch(x, fs=RATE, nperseg=SEGMENT, noverlap=SEGMENT // 2, axis=-1)),
}
print(json.dumps(results))
