using Avro.File;
using Avro.Generic;

namespace NeuraScale.Storage.Streaming;

/// <summary>One event as Event Hubs Capture stored it.</summary>
public sealed record CapturedEvent(long SequenceNumber, string Offset, string EnqueuedTimeUtc, IReadOnlyDictionary<string, object?> Properties, byte[] Body);

/// <summary>
/// Reads Event Hubs Capture files: Avro object container files of records with the schema the Event Hubs documentation
/// gives (SequenceNumber, Offset, EnqueuedTimeUtc, SystemProperties, Properties, Body), read with the writer's own
/// schema (so the variants with "null" among the property types read too), through Apache.Avro.
/// </summary>
public static class CaptureFile
{
    /// <summary>The events of a file in order. A damaged block ends the enumeration with an <see cref="InvalidDataException"/> after the events before it.</summary>
    public static IEnumerable<CapturedEvent> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        IFileReader<GenericRecord> reader;
        try
        {
            reader = DataFileReader<GenericRecord>.OpenReader(stream, leaveOpen: true);
        }
        catch (Exception ex) when (ex is Avro.AvroException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"Not an Avro container file: {ex.Message}", ex);
        }

        using (reader)
        {
            while (true)
            {
                GenericRecord record;
                try
                {
                    if (!reader.HasNext())
                    {
                        yield break;
                    }

                    record = reader.Next();
                }
                catch (Exception ex) when (ex is Avro.AvroException or IOException or ArgumentException or InvalidOperationException)
                {
                    throw new InvalidDataException($"The Avro file is damaged after the events already read: {ex.Message}", ex);
                }

                yield return ToEvent(record);
            }
        }
    }

    private static CapturedEvent ToEvent(GenericRecord record)
    {
        var properties = record.TryGetValue("Properties", out var p) && p is IDictionary<string, object> map
            ? map.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)
            : new Dictionary<string, object?>();
        var body = record.TryGetValue("Body", out var b) && b is byte[] bytes ? bytes : [];
        return new CapturedEvent(
            record.TryGetValue("SequenceNumber", out var s) && s is long sequence ? sequence : -1,
            record.TryGetValue("Offset", out var o) ? o?.ToString() ?? string.Empty : string.Empty,
            record.TryGetValue("EnqueuedTimeUtc", out var t) ? t?.ToString() ?? string.Empty : string.Empty,
            properties,
            body);
    }
}
