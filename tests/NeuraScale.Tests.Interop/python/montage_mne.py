"""Montages of a real EDF recording computed by MNE-Python: the average reference (set_eeg_reference('average',
projection=False)) and the longitudinal bipolar pairs given by the test (set_bipolar_reference), first N samples, in µV,
written as float64 channel after channel."""
import json
import sys

import mne
import numpy as np

args = json.load(sys.stdin)
raw = mne.io.read_raw_edf(args["path"], preload=True, encoding="latin1", verbose="error")
n = int(args["samples"])

average = raw.copy().set_eeg_reference("average", projection=False, verbose="error")
(average.get_data()[:, :n] * 1e6).astype("<f8").tofile(args["average_out"])

bipolar = mne.set_bipolar_reference(raw.copy(), anode=args["anodes"], cathode=args["cathodes"], ch_name=args["names"],
                                    drop_refs=False, copy=True, verbose="error")
(bipolar.get_data(picks=args["names"])[:, :n] * 1e6).astype("<f8").tofile(args["bipolar_out"])
print(json.dumps({"channels": len(raw.ch_names), "sfreq": float(raw.info["sfreq"]), "mne": mne.__version__}))
