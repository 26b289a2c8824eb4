using DuckDB.NET.Data;
using NeuraScale.Amplifiers.Simulation;
using NeuraScale.Formats.Parquet;

namespace NeuraScale.Tests.Interop;

/// <summary>Parquet written by <see cref="ParquetSignalWriter"/>, read by DuckDB (an independent Parquet reader), equals the stored samples exactly.</summary>
public sealed class ParquetWriterInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parquet-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Parquet_ReadByDuckDb_EqualsTheStoredSamplesExactly_WithMetadata()
    {
        var ct = TestContext.Current.CancellationToken;
        var amp = new SimulatedAmplifier(new SimulatorOptions { ChannelCount = 4, SamplingRateHz = 250, Seed = 3 });
        const int n = 5_555;
        var data = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, n).Select(i => (float)amp.Sample(c, i)).ToArray()).ToArray();
        var names = amp.Device.Channels.Select(c => c.Name).ToArray();
        var metadata = new Dictionary<string, string> { ["neurascale.sampling_rate_hz"] = "250", ["neurascale.units"] = """{"Fp1":"uV"}""" };

        var path = Path.Combine(_dir, "export.parquet");
        await using (var file = File.Create(path))
        {
            var writer = await ParquetSignalWriter.CreateAsync(file, names, 250, metadata, rowGroupRows: 2_000, cancellationToken: ct);
            for (var offset = 0; offset < n; offset += 777)
            {
                var take = Math.Min(777, n - offset);
                await writer.WriteAsync(data.Select(row => row.AsSpan(offset, take).ToArray()).ToArray(), take, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(ct);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT * FROM read_parquet('{path}') ORDER BY time_s";
            await using var reader = await command.ExecuteReaderAsync(ct);
            Assert.Equal(["time_s", .. names], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
            Assert.Equal(typeof(double), reader.GetFieldType(0));
            Assert.Equal(typeof(float), reader.GetFieldType(1));
            var row = 0;
            while (await reader.ReadAsync(ct))
            {
                Assert.Equal(row / 250.0, reader.GetDouble(0));
                for (var c = 0; c < 4; c++)
                {
                    Assert.Equal(data[c][row], reader.GetFloat(c + 1));
                }

                row++;
            }

            Assert.Equal(n, row);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT count(*) FROM parquet_metadata('{path}') WHERE path_in_schema = 'time_s'";
            Assert.Equal(3L, Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture)); // row groups: 2000, 2000, 1555
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{path}')";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var read = new Dictionary<string, string>();
            while (await reader.ReadAsync(ct))
            {
                read[reader.GetString(0)] = reader.GetString(1);
            }

            Assert.Equal(metadata["neurascale.units"], read["neurascale.units"]);
            Assert.Equal("250", read["neurascale.sampling_rate_hz"]);
        }
    }
}
