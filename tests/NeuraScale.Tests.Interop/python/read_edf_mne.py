"""Reads an EDF with MNE-Python and writes its data (in the file's physical unit, µV) as raw float64."""
import json
import sys

import mne

args = json.load(sys.stdin)
# MNE 1.3 refuses the EEGMMIDB annotation bytes after each TAL's NUL unless told latin1 (see tests/data README).
raw = mne.io.read_raw_edf(args["path"], preload=True, encoding="latin1", verbose="error")
data = raw.get_data() * 1e6  # MNE converts uV to V; back to the file's unit
data.astype("<f8").tofile(args["out"])
print(json.dumps({
    "ch_names": raw.ch_names,
    "sfreq": float(raw.info["sfreq"]),
    "n_times": int(raw.n_times),
    "annotations": [{"onset": float(a["onset"]), "duration": float(a["duration"]), "description": str(a["description"])} for a in raw.annotations],
    "mne": mne.__version__,
}))
