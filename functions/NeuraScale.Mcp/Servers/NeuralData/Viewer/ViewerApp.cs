using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace NeuraScale.Mcp.Servers.NeuralData.Viewer;

/// <summary>
/// The EEG viewer as an MCP App (<c>@modelcontextprotocol/ext-apps</c>, protocol 2026-01-26): one self-contained HTML
/// page served as a <c>ui://</c> resource, which hosts that render MCP Apps show in a sandboxed frame when
/// <c>view_recording</c> is called. It reaches data only through the server's tools (the host relays its calls), so
/// it declares no network origins: the host's content security policy for it is "nothing but itself".
/// </summary>
[McpServerResourceType]
public sealed class ViewerApp
{
    public const string Uri = "ui://neurascale/eeg-viewer.html";
    public const string MimeType = "text/html;profile=mcp-app";

    /// <summary>Tool <c>_meta.ui</c> linking a tool to this app.</summary>
    public const string ToolMeta = """{"resourceUri":"ui://neurascale/eeg-viewer.html"}""";

    /// <summary>Tool <c>_meta.ui</c> of the tools only the app calls (hosts keep them from the model).</summary>
    public const string AppOnlyToolMeta = """{"resourceUri":"ui://neurascale/eeg-viewer.html","visibility":["app"]}""";

    /// <summary>Resource <c>_meta.ui</c>: no connections, no outside resources, a border from the host.</summary>
    public const string ResourceMeta = """{"csp":{"connectDomains":[],"resourceDomains":[]},"prefersBorder":true}""";

    private static readonly Lazy<string> Html = new(LoadHtml);

    [McpServerResource(UriTemplate = Uri, Name = "eeg_viewer", Title = "EEG viewer", MimeType = MimeType)]
    [McpMeta("ui", JsonValue = ResourceMeta)]
    [Description("Interactive EEG viewer (MCP App) for view_recording: pages of traces in a montage, sensitivity, display filters, event markers, paging and live follow.")]
    public static ResourceContents Read() => new TextResourceContents
    {
        Uri = Uri,
        MimeType = MimeType,
        Text = Html.Value,
        Meta = new JsonObject { ["ui"] = JsonNode.Parse(ResourceMeta) },
    };

    private static string LoadHtml()
    {
        using var stream = typeof(ViewerApp).Assembly.GetManifestResourceStream("NeuraScale.Mcp.EegViewer.html")
            ?? throw new InvalidOperationException("The EEG viewer's HTML is not embedded in the assembly.");
        using var text = new StreamReader(stream);
        return text.ReadToEnd();
    }
}
