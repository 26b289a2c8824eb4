"""Blinks found by MNE's EOG detector (mne.preprocessing.find_eog_events: 1-10 Hz band-pass, peaks above a quarter of
the range) on a frontal channel of an EDF file."""
import json
import sys

import mne

args = json.load(sys.stdin)
raw = mne.io.read_raw_edf(args["edf"], preload=True, verbose="error")
events = mne.preprocessing.find_eog_events(raw, ch_name=args["channel"], verbose="error")
print(json.dumps({"mne": mne.__version__, "blinks": int(len(events))}))
