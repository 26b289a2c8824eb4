"""Reads a MAT export with scipy.io.loadmat(simplify_cells=True), as a user would."""
import json
import sys

import numpy as np
import scipy
import scipy.io

args = json.load(sys.stdin)
mat = scipy.io.loadmat(args["path"], simplify_cells=True)
rec = mat[args["variable"]]
data = rec["data"]
data.astype("<f4").tofile(args["out"])
events = rec["events"]
labels = events["label"]
labels = [labels] if isinstance(labels, str) else list(labels)
print(json.dumps({
    "scipy": scipy.__version__,
    "variables": sorted(k for k in mat if not k.startswith("__")),
    "dtype": str(data.dtype),
    "shape": list(data.shape),
    "channel_names": list(rec["channel_names"]),
    "units": list(rec["units"]),
    "sampling_rate_hz": float(rec["sampling_rate_hz"]),
    "start_time": str(rec["start_time"]),
    "session_id": str(rec["session_id"]),
    "onsets": np.atleast_1d(events["onset_s"]).astype(float).tolist(),
    "durations": np.atleast_1d(events["duration_s"]).astype(float).tolist(),
    "labels": labels,
}))
