namespace NeuraScale.Testing;

/// <summary>Locations in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding NeuraScale.Functions.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Real EEG recordings shipped with the tests (PhysioNet EEGMMIDB S001, ODC-By; see tests/data/eegmmidb/README.md).</summary>
    public static string EegMmiDb(string file) => Path.Combine(Root, "tests", "data", "eegmmidb", file);

    /// <summary>
    /// The built DLL of one of the repository's programs, in the configuration the tests were built with
    /// (e.g. <c>BuiltProgram("edge-relay/NeuraScale.EdgeRelay", "NeuraScale.EdgeRelay")</c>).
    /// </summary>
    public static string BuiltProgram(string projectDirectory, string assemblyName)
    {
        var separator = Path.DirectorySeparatorChar;
        var configuration = AppContext.BaseDirectory.Contains($"{separator}Release{separator}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(Root, projectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; build the solution before running the tests.", dll);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuraScale.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Tests must run from inside the repository (NeuraScale.Functions.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
