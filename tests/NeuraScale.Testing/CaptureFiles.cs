using Avro;
using Avro.File;
using Avro.Generic;
using Azure.Messaging.EventHubs;

namespace NeuraScale.Testing;

/// <summary>
/// Writes Event Hubs Capture files as the service does (an Avro container file, deflate, the schema from the Event Hubs
/// documentation), from the relay's <see cref="EventData"/>: our writer, beside python3-avro's in the tests.
/// </summary>
public static class CaptureFiles
{
    /// <summary>The Capture schema as the Event Hubs documentation gives it.</summary>
    public const string SchemaJson = """
        {"type":"record","name":"EventData","namespace":"Microsoft.ServiceBus.Messaging","fields":[
          {"name":"SequenceNumber","type":"long"},
          {"name":"Offset","type":"string"},
          {"name":"EnqueuedTimeUtc","type":"string"},
          {"name":"SystemProperties","type":{"type":"map","values":["long","double","string","bytes"]}},
          {"name":"Properties","type":{"type":"map","values":["long","double","string","bytes"]}},
          {"name":"Body","type":["null","bytes"]}]}
        """;

    public static byte[] Write(IEnumerable<EventData> events, long firstSequenceNumber = 0)
    {
        var schema = (RecordSchema)Schema.Parse(SchemaJson);
        using var stream = new MemoryStream();
        using (var writer = DataFileWriter<GenericRecord>.OpenWriter(new GenericDatumWriter<GenericRecord>(schema), stream, Codec.CreateCodec(Codec.Type.Deflate)))
        {
            var sequence = firstSequenceNumber;
            foreach (var data in events)
            {
                var record = new GenericRecord(schema);
                record.Add("SequenceNumber", sequence);
                record.Add("Offset", (sequence * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
                record.Add("EnqueuedTimeUtc", DateTime.UtcNow.ToString("M/d/yyyy h:mm:ss tt", System.Globalization.CultureInfo.InvariantCulture));
                record.Add("SystemProperties", new Dictionary<string, object> { ["x-opt-sequence-number"] = sequence });
                record.Add("Properties", data.Properties.ToDictionary(p => p.Key, p => p.Value switch { int i => (object)(long)i, _ => p.Value }));
                record.Add("Body", data.EventBody.ToArray());
                writer.Append(record);
                sequence++;
            }
        }

        return stream.ToArray();
    }
}
