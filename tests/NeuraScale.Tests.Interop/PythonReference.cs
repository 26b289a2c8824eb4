using System.Diagnostics;
using System.Text.Json;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// Runs a reference script under Debian's Python (/usr/bin/python3, which sees python3-scipy and python3-mne; the
/// pyenv python3 on PATH does not). Arguments go in as JSON on stdin, results come back as JSON on stdout; bulk
/// arrays travel as raw little-endian float64 files.
/// </summary>
internal static class PythonReference
{
    private const string Python = "/usr/bin/python3";

    public static JsonElement Run(string script, object arguments)
    {
        Assert.True(File.Exists(Python), "Debian's /usr/bin/python3 is missing; ./scripts/test installs python3-scipy and python3-mne.");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        start.Environment["MNE_DONTWRITE_HOME"] = "true";
        start.Environment["MPLBACKEND"] = "Agg";

        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(arguments));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}):\n{errors}");
        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }

    public static double[] ReadFloat64(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static void WriteFloat64(string path, double[] values)
    {
        var bytes = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
