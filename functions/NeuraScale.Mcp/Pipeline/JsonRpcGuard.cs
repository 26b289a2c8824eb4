using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuraScale.Mcp.Security;
using NeuraScale.Mcp.Servers;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Mcp.Pipeline;

/// <summary>
/// Checks each authorised MCP request before the SDK reads it: a body over the size limit is refused with 413 and one
/// line (not an unhandled exception per request); a JSON-RPC message whose params the SDK cannot bind — params that are
/// not an object, tool arguments that are not an object, a string with an unpaired surrogate escape, an
/// <c>initialize</c> without its required fields — gets a JSON-RPC "invalid params" error saying what is wrong, and a
/// tool call refused here is audited like any other (outcome <c>invalid_request</c>).
/// </summary>
internal static class JsonRpcGuard
{
    public const int InvalidParams = -32602;

    public static IApplicationBuilder UseNeuraScaleJsonRpcGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<McpServerDefinition>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<HttpHygieneOptions>>().Value.MaxRequestBodyBytes;
        byte[] body;
        try
        {
            body = await ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        if (body.Length > limit)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            // Not JSON: the SDK answers with its own parse error.
        }

        using (document)
        {
            if (document is not null && Problem(document.RootElement) is { } problem)
            {
                await AuditAsync(context, document.RootElement).ConfigureAwait(false);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    jsonrpc = "2.0",
                    id = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) ? id.Clone() : (JsonElement?)null,
                    error = new { code = InvalidParams, message = "Invalid params: " + problem },
                }), context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context).ConfigureAwait(false);
    });

    /// <summary>What is wrong with a JSON-RPC message that the SDK could not bind, or null when nothing is.</summary>
    public static string? Problem(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return null; // not a single request: the SDK refuses it itself
        }

        if (UnpairedSurrogate(message) is { } where)
        {
            return $"{where} contains an unpaired UTF-16 surrogate escape (e.g. \\ud800 alone), which is not text. Send valid Unicode.";
        }

        var method = message.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var hasParams = message.TryGetProperty("params", out var parameters) && parameters.ValueKind != JsonValueKind.Null;
        if (hasParams && parameters.ValueKind != JsonValueKind.Object)
        {
            return $"'params' must be an object, not {Kind(parameters)}.";
        }

        return method switch
        {
            "tools/call" when !hasParams || !parameters.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                => "tools/call needs params.name, the tool's name as a string (tools/list names them).",
            "tools/call" when parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
                => $"params.arguments must be an object of named arguments, not {Kind(arguments)}. See the tool's input schema.",
            "initialize" when !hasParams || !Has(parameters, "protocolVersion", JsonValueKind.String) || !Has(parameters, "capabilities", JsonValueKind.Object) || !Has(parameters, "clientInfo", JsonValueKind.Object)
                => "initialize needs params.protocolVersion (a string such as \"2025-06-18\"), params.capabilities (an object) and params.clientInfo (an object with name and version).",
            _ => null,
        };
    }

    private static bool Has(JsonElement parameters, string name, JsonValueKind kind) => parameters.TryGetProperty(name, out var value) && value.ValueKind == kind;

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>The first property (or "a string") whose text cannot be decoded because of an unpaired surrogate escape.</summary>
    private static string? UnpairedSurrogate(JsonElement element, string path = "the request")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Decodes(() => property.Name))
                    {
                        return "a property name";
                    }

                    if (UnpairedSurrogate(property.Value, $"'{property.Name}'") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (UnpairedSurrogate(item, path) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                return Decodes(() => element.GetString()) ? null : path;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return new byte[limit + 1]; // refused without reading what the client declared too large
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new byte[limit + 1];
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.Headers.Connection = "close"; // the rest of the body is not read
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.Response.WriteAsJsonAsync(new
        {
            error = "request_too_large",
            message = $"The request body is larger than {limit} bytes (Http:MaxRequestBodyBytes). MCP requests are small JSON documents; page large reads with the tools' cursor and time-window arguments.",
        }, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A tool call refused here is a tool call: audited with who, which tool and the outcome.</summary>
    private static async Task AuditAsync(HttpContext context, JsonElement message)
    {
        if (!message.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || method.GetString() != "tools/call")
        {
            return;
        }

        var tool = message.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && Decodes(() => n.GetString())
            ? n.GetString()!
            : "?";
        var caller = context.RequestServices.GetRequiredService<CallerAccessor>().Resolve(context.User);
        var audit = context.RequestServices.GetRequiredService<IAuditLog>();
        await audit.AppendAsync(new AuditEntry
        {
            Caller = caller?.Id ?? "anonymous",
            Action = "tools/call:" + (tool.Length <= 64 && tool.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? tool : "?"),
            Outcome = "invalid_request",
            ArgumentsHash = audit.HashArguments(message.GetRawText()),
        }, CancellationToken.None).ConfigureAwait(false);
    }
}
