using System.Text.Json;
using System.Text.RegularExpressions;

namespace NeuraScale.Testing;

/// <summary>The MCP app as the compiled infra template (infra/main.bicep) deploys it.</summary>
public static partial class InfraTemplate
{
    /// <summary>The template and its mcp-app module.</summary>
    public static (JsonDocument Template, JsonElement Module) McpApp()
    {
        var template = JsonDocument.Parse(BicepCli.MainTemplate());
        var module = template.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "mcp-app");
        return (template, module);
    }

    /// <summary>The module's own app settings as the platform sees them after deployment, for an app of host name <paramref name="host"/>.</summary>
    public static Dictionary<string, string> McpAppSettings(JsonElement module, string host) =>
        module.GetProperty("properties").GetProperty("parameters").GetProperty("settings").GetProperty("value")
            .EnumerateObject().ToDictionary(p => p.Name, p => Deployed(p.Value.GetString()!, host));

    /// <summary>
    /// A setting's value after deployment: literals as they are, and <c>format(…, variables('mcpHostName'))</c> with the
    /// app's host name. Any other expression is a setting the tests do not know how to deploy yet.
    /// </summary>
    private static string Deployed(string value, string host)
    {
        if (!value.StartsWith('['))
        {
            return value;
        }

        var match = HostNameFormat().Match(value);
        return match.Success
            ? match.Groups[1].Value.Replace("{0}", host, StringComparison.Ordinal)
            : throw new InvalidOperationException($"Unknown expression in an MCP app setting: {value}");
    }

    [GeneratedRegex(@"^\[format\('([^']*)', variables\('mcpHostName'\)\)\]$")]
    private static partial Regex HostNameFormat();
}
