namespace NeuraScale.Tests.Interop;

/// <summary>
/// Records each comparison's largest deviation from the reference, relative to the reference's scale, in the file
/// named by NEURASCALE_DEVIATIONS (when set), so the figures reported in docs come from an actual run.
/// </summary>
internal static class Deviations
{
    private static readonly Lock Gate = new();

    public static void Record(string kernel, double largest, double scale)
    {
        if (Environment.GetEnvironmentVariable("NEURASCALE_DEVIATIONS") is not { Length: > 0 } path)
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, FormattableString.Invariant($"{kernel}\t{largest:E3}\t{(scale > 0 ? largest / scale : largest):E3}\n"));
        }
    }
}
