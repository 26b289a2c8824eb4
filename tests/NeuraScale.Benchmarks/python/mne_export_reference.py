"""MNE-Python on the benchmark's files: read our EDF, write the same data with MNE's own FIF writer, read our FIF.

MNE 1.3 cannot write EDF here: mne.export needs EDFlib-Python, which Debian does not package."""
import os
import sys
import tempfile
import time

import mne

mne.set_log_level("ERROR")
edf, fif = sys.argv[1], sys.argv[2]


def timed(label, action):
    start = time.perf_counter()
    result = action()
    print(f"| {label} | {time.perf_counter() - start:.1f} |")
    return result


print(f"MNE {mne.__version__}")
print("| MNE step | seconds |")
print("|---|---:|")
raw = timed("read_raw_edf(our EDF, preload=True)", lambda: mne.io.read_raw_edf(edf, preload=True))
with tempfile.TemporaryDirectory() as work:
    out = os.path.join(work, "mne_raw.fif")
    timed("raw.save(FIF) — MNE's own writer, same data", lambda: raw.save(out, overwrite=True))
timed("read_raw_fif(our FIF, preload=True)", lambda: mne.io.read_raw_fif(fif, preload=True))
