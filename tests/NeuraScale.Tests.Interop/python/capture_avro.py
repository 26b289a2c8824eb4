"""Writes an Event Hubs Capture-format Avro file with Apache Avro for Python (python3-avro, an independent writer):
the schema from the Event Hubs documentation, deflate blocks, one record per event given in the JSON on stdin."""
import json
import sys

import avro.datafile
import avro.io
import avro.schema

SCHEMA = {
    "type": "record", "name": "EventData", "namespace": "Microsoft.ServiceBus.Messaging",
    "fields": [
        {"name": "SequenceNumber", "type": "long"},
        {"name": "Offset", "type": "string"},
        {"name": "EnqueuedTimeUtc", "type": "string"},
        {"name": "SystemProperties", "type": {"type": "map", "values": ["long", "double", "string", "bytes"]}},
        {"name": "Properties", "type": {"type": "map", "values": ["long", "double", "string", "bytes"]}},
        {"name": "Body", "type": ["null", "bytes"]},
    ],
}

args = json.load(sys.stdin)
schema = avro.schema.parse(json.dumps(SCHEMA))
with open(args["output"], "wb") as out:
    writer = avro.datafile.DataFileWriter(out, avro.io.DatumWriter(), schema, codec="deflate")
    for i, event in enumerate(args["events"]):
        with open(event["body"], "rb") as body:
            payload = body.read()
        writer.append({
            "SequenceNumber": i,
            "Offset": str(i * 4096),
            "EnqueuedTimeUtc": "11/29/2026 3:30:00 AM",
            "SystemProperties": {"x-opt-sequence-number": i, "x-opt-partition-key": event["partition_key"]},
            "Properties": event["properties"],
            "Body": payload,
        })
    writer.close()
print(json.dumps({"avro": avro.__version__, "events": len(args["events"])}))
