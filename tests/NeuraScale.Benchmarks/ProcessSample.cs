using System.Globalization;

namespace NeuraScale.Benchmarks;

/// <summary>Resident memory and CPU time of a process, from /proc (Linux).</summary>
internal readonly record struct ProcessSample(double RssMb, double CpuSeconds)
{
    public static ProcessSample Read(int pid)
    {
        var rssLine = File.Exists($"/proc/{pid}/status") ? File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
        if (rssLine is null)
        {
            return new(double.NaN, double.NaN); // the process has exited (the row then shows NaN)
        }

        var rssKb = rssLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
        return new(double.Parse(rssKb, CultureInfo.InvariantCulture) / 1024, ticks / 100.0);
    }
}
