"""Reference epochs/evoked: mne.Epochs (tmin, tmax, baseline, peak-to-peak reject), average, standard_error."""
import json
import sys

import mne
import numpy as np

mne.set_log_level("ERROR")
args = json.load(sys.stdin)
n_channels = args["channels"]
data = np.fromfile(args["input"], dtype="<f8").reshape(n_channels, -1)
names = [f"E{i}" for i in range(n_channels)]
info = mne.create_info(names, args["fs"], ch_types="eeg")
raw = mne.io.RawArray(data * 1e-6, info)  # MNE works in volts; we in microvolts
events = np.array([[s, 0, 1] for s in args["events"]], dtype=int)
baseline = tuple(args["baseline"]) if args["baseline"] is not None else None
reject = dict(eeg=args["reject_uv"] * 1e-6) if args["reject_uv"] is not None else None
epochs = mne.Epochs(raw, events, event_id=1, tmin=args["tmin"], tmax=args["tmax"], baseline=baseline, reject=reject,
                    preload=True, proj=False)
(epochs.get_data() * 1e6).astype("<f8").tofile(args["epochs_out"])
evoked = epochs.average()
(evoked.data * 1e6).astype("<f8").tofile(args["evoked_out"])
(epochs.standard_error().data * 1e6).astype("<f8").tofile(args["stderr_out"])
ch, lat, amp = evoked.get_peak(tmin=args["peak"][0], tmax=args["peak"][1], mode=args["mode"], return_amplitude=True)
print(json.dumps({"mne": mne.__version__, "selection": [int(i) for i in epochs.selection], "times": [float(t) for t in epochs.times],
                  "peak_channel": ch, "peak_latency": float(lat), "peak_amplitude_uv": float(amp) * 1e6}))
