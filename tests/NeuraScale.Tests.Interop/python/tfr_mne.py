"""Reference Morlet power: mne.time_frequency.tfr_array_morlet(output='avg_power') and mne.baseline.rescale."""
import json
import sys

import mne
import numpy as np
from mne.baseline import rescale
from mne.time_frequency import tfr_array_morlet

mne.set_log_level("ERROR")
args = json.load(sys.stdin)
data = np.fromfile(args["input"], dtype="<f8").reshape(args["epochs"], args["channels"], -1)
freqs = np.array(args["freqs"])
n_cycles = np.array(args["n_cycles"]) if len(args["n_cycles"]) > 1 else args["n_cycles"][0]
power = tfr_array_morlet(data, args["fs"], freqs, n_cycles=n_cycles, zero_mean=False, use_fft=True, decim=args["decim"],
                         output="avg_power")
power.astype("<f8").tofile(args["power_out"])
times = (np.arange(data.shape[-1]) / args["fs"] + args["tmin"])[::args["decim"]]
for mode, out in args["baselines"].items():
    rescale(power, times, tuple(args["baseline"]), mode=mode, copy=True).astype("<f8").tofile(out)
print(json.dumps({"mne": mne.__version__, "shape": list(power.shape)}))
