using System.Diagnostics;
using System.Text.Json;

namespace NeuraScale.Tests.Interop;

/// <summary>
/// EDFlib (Debian libedf-dev; the C library by EDFbrowser's author, strict about the EDF+ specification) as a second,
/// independent EDF reader: <c>c/edflib_read.c</c> is compiled once per test run with gcc and run on a file.
/// </summary>
internal static class EdfLibReference
{
    private static readonly Lazy<string> Program = new(Compile);

    /// <summary>What EDFlib reports (JSON) and the physical samples it read, signal after signal.</summary>
    public static (JsonElement Report, double[] Samples) Read(string edfPath)
    {
        var samples = Path.ChangeExtension(edfPath, ".edflib.f64");
        var (exit, output, errors) = Run(Program.Value, edfPath, samples);
        Assert.True(exit == 0, $"EDFlib refused {edfPath} ({exit}): {output}{errors}");
        return (JsonDocument.Parse(output).RootElement.Clone(), PythonReference.ReadFloat64(samples));
    }

    private static string Compile()
    {
        Assert.True(File.Exists("/usr/include/edflib.h"), "EDFlib headers missing; ./scripts/test installs libedf-dev.");
        var binary = Path.Combine(Directory.CreateTempSubdirectory("edflib-").FullName, "edflib_read");
        var (exit, output, errors) = Run("gcc", "-O1", "-o", binary, Path.Combine(AppContext.BaseDirectory, "c", "edflib_read.c"), "-ledf");
        Assert.True(exit == 0, $"gcc could not build the EDFlib reader: {output}{errors}");
        return binary;
    }

    private static (int Exit, string Output, string Errors) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }
}
