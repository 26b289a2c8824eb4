"""Reference signal-quality figures from scipy.signal.welch and numpy, written from the definitions in docs/devices.md:
per channel the line-noise power at the mains (±1 Hz above the median PSD 2-5 Hz either side), the signal- and
noise-band powers without the mains harmonics' ±2 Hz, SNR, and the mains detection (median peak prominence >= 6 dB)."""
import json
import sys

import numpy as np
import scipy
from scipy import signal

args = json.load(sys.stdin)
fs = args["fs"]
if args.get("edf"):
    import mne
    raw = mne.io.read_raw_edf(args["edf"], preload=True, verbose="error")
    x = raw.get_data() * 1e6  # V -> uV
else:
    x = np.fromfile(args["input"], dtype="<f8").reshape(args["channels"], -1)

nperseg = int(round(2 * fs))
f, psd = signal.welch(x, fs=fs, window="hann", nperseg=nperseg, noverlap=nperseg // 2, detrend="constant", scaling="density", axis=-1)


def runs(mask):
    """Index arrays of the contiguous True stretches of a mask."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    return np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)


def band_without_mains(p, low, high, mains):
    harmonics = np.arange(1, int(high // mains) + 2) * mains
    near = np.zeros_like(f, dtype=bool)
    for h in harmonics:
        near |= np.abs(f - h) < 2
    mask = (f >= low) & (f <= high) & ~near
    return float(sum(np.trapz(p[r], f[r]) for r in runs(mask) if r.size >= 2))


def floor(p, mains):
    d = np.abs(f - mains)
    return float(np.median(p[(d >= 2) & (d <= 5)]))


def line_power(p, mains):
    inside = np.abs(f - mains) <= 1
    width = f[inside][-1] - f[inside][0]
    return max(0.0, float(np.trapz(p[inside], f[inside])) - floor(p, mains) * width)


railed = np.zeros(x.shape[0], dtype=bool)
if args.get("range") is not None:
    railed = (np.abs(x) >= 0.999 * args["range"]).sum(axis=1) * 2 >= x.shape[1]
flat = ~railed & (x.std(axis=1) < 0.5)
live = ~flat & ~railed

prominence = {}
for mains in (50.0, 60.0):
    if mains + 5 > fs / 2:
        prominence[mains] = None
        continue
    values = [10 * np.log10(psd[c][np.abs(f - mains) <= 1].max() / floor(psd[c], mains)) for c in np.flatnonzero(live)]
    prominence[mains] = float(np.median(values))
candidates = {k: v for k, v in prominence.items() if v is not None}
best = max(candidates, key=candidates.get)
detected = best if candidates[best] >= 6 else None
mains = detected if detected is not None else args["configured_line_hz"]

channels = []
lo, hi, nlo, nhi = args["bands"]
for c in range(x.shape[0]):
    s = band_without_mains(psd[c], lo, hi, mains)
    n = band_without_mains(psd[c], nlo, nhi, mains)
    line = line_power(psd[c], mains)
    snr = None if not live[c] else float(10 * np.log10(s / (n + line)))
    channels.append({"signal": s, "noise": n, "line": line, "snr_db": snr, "flat": bool(flat[c]), "railed": bool(railed[c])})

print(json.dumps({"scipy": scipy.__version__, "detected": detected, "measured_at": mains,
                  "prominence": {"%g" % k: v for k, v in prominence.items()}, "channels": channels}))
