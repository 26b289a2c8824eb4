"""Reads a raw FIF export with mne.io.read_raw_fif, as a user would."""
import json
import sys

import mne

mne.set_log_level("ERROR")
args = json.load(sys.stdin)
raw = mne.io.read_raw_fif(args["path"], preload=True)
(raw.get_data() * 1e6).astype("<f8").tofile(args["out"])
montage = raw.get_montage()
positions = montage.get_positions()["ch_pos"] if montage is not None else {}
print(json.dumps({
    "montage": {name: [float(v) for v in xyz] for name, xyz in positions.items()},
    "mne": mne.__version__,
    "ch_names": raw.ch_names,
    "ch_types": raw.get_channel_types(),
    "sfreq": float(raw.info["sfreq"]),
    "n_times": int(raw.n_times),
    "highpass": float(raw.info["highpass"]),
    "lowpass": float(raw.info["lowpass"]),
    "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
    "annotations": [{"onset": float(a["onset"]), "duration": float(a["duration"]), "description": a["description"]} for a in raw.annotations],
}))
