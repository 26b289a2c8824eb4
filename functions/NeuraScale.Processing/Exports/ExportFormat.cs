using System.Text.Json.Serialization;

namespace NeuraScale.Processing.Exports;

/// <summary>The file formats an export can be written in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExportFormat>))]
public enum ExportFormat
{
    Edf,
    Bdf,
    Mat,
    Csv,
    Parquet,
    Fif,
}

/// <summary>Names, file extensions and content types of the export formats.</summary>
public static class ExportFormats
{
    /// <summary>The names a caller may use, lower case, in the order they are listed to callers.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<ExportFormat>().Select(f => f.ToString().ToLowerInvariant()).ToArray();

    /// <summary>Parses a format name (case-insensitive); null when it is not one of <see cref="Names"/>.</summary>
    public static ExportFormat? Parse(string? name) =>
        Enum.TryParse<ExportFormat>(name?.Trim(), ignoreCase: true, out var format) && Enum.IsDefined(format) && !int.TryParse(name, out _) ? format : null;

    public static string Extension(this ExportFormat format) => format switch
    {
        ExportFormat.Edf => ".edf",
        ExportFormat.Bdf => ".bdf",
        ExportFormat.Mat => ".mat",
        ExportFormat.Csv => ".csv",
        ExportFormat.Parquet => ".parquet",
        ExportFormat.Fif => "_raw.fif", // MNE warns about raw file names not ending in raw.fif
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string ContentType(this ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv",
        ExportFormat.Parquet => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    };

    /// <summary>What a reader of the file would use to open it, for the tool's description of the result.</summary>
    public static string OpenWith(this ExportFormat format) => format switch
    {
        ExportFormat.Edf => "mne.io.read_raw_edf(path), EDFbrowser, EEGLAB",
        ExportFormat.Bdf => "mne.io.read_raw_bdf(path), EDFbrowser, EEGLAB",
        ExportFormat.Mat => "scipy.io.loadmat(path, simplify_cells=True)['recording'] or MATLAB load(path)",
        ExportFormat.Csv => "pandas.read_csv(path) (events in the _events.csv file)",
        ExportFormat.Parquet => "DuckDB read_parquet(path), pyarrow.parquet.read_table(path), Polars, or pandas.read_parquet(path) once pyarrow or fastparquet is installed (pandas alone has no Parquet engine)",
        ExportFormat.Fif => "mne.io.read_raw_fif(path)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
