namespace NeuraScale.Testing;

/// <summary>Locations in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding NeuraScale.Functions.sln.</summary>
    public static string Root { get; } = FindRoot();

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
