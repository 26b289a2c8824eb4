"""Reads a CSV export and its events file with pandas.read_csv defaults, as a user would."""
import json
import sys

import numpy as np
import pandas as pd

args = json.load(sys.stdin)
frame = pd.read_csv(args["path"])
events = pd.read_csv(args["events"])
frame.drop(columns=["time_s"]).to_numpy(dtype="<f8").T.copy().tofile(args["out"])
print(json.dumps({
    "pandas": pd.__version__,
    "columns": list(frame.columns),
    "rows": int(len(frame)),
    "time_last": float(frame["time_s"].iloc[-1]),
    "dtypes": sorted({str(t) for t in frame.dtypes}),
    "events": [{"onset_s": float(r.onset_s), "duration_s": float(r.duration_s), "label": str(r.label)} for r in events.itertuples()],
}))
