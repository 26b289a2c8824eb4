"""Reads an EDF+ (or, with "bdf", a BDF+) export with mne.io.read_raw_edf (read_raw_bdf), as a user would, and reports what MNE sees."""
import json
import sys

import mne
import numpy as np

mne.set_log_level("ERROR")
args = json.load(sys.stdin)
read = mne.io.read_raw_bdf if args.get("bdf") else mne.io.read_raw_edf
raw = read(args["path"], preload=True)
(raw.get_data() * 1e6).astype("<f8").tofile(args["out"])  # MNE scales uV to V; back to uV
print(json.dumps({
    "mne": mne.__version__,
    "ch_names": raw.ch_names,
    "ch_types": raw.get_channel_types(),
    "sfreq": float(raw.info["sfreq"]),
    "n_times": int(raw.n_times),
    "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
    "annotations": [{"onset": float(a["onset"]), "duration": float(a["duration"]), "description": a["description"]} for a in raw.annotations],
}))
