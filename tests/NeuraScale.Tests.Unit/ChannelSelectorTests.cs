using System.Text.Json;
using NeuraScale.Domain;
using NeuraScale.Mcp.Pipeline;
using NeuraScale.Processing.NeuralData;

namespace NeuraScale.Tests.Unit;

public class ChannelSelectorTests
{
    private static readonly ChannelInfo[] Channels =
        new[] { "Fp1", "Fp2", "O1", "O2" }.Select(n => new ChannelInfo(n, ChannelType.EEG, "uV")).ToArray();

    /// <summary>A tool's channels argument as the tool passes it on: JSON items translated, then resolved.</summary>
    private static IReadOnlyList<string>? Json(string array) => ToolArguments.Channels(JsonSerializer.Deserialize<JsonElement[]>(array)!);

    [Fact]
    public void Resolve_Null_ReturnsAllChannels() => Assert.Equal([0, 1, 2, 3], ChannelSelector.Resolve(null, Channels));

    [Fact]
    public void Resolve_IndicesAndNamesMixed_KeepsRequestOrder() =>
        Assert.Equal([3, 0, 2], ChannelSelector.Resolve(Json("""[3, "fp1", "2"]"""), Channels));

    [Theory]
    [InlineData("[4]", "index 4 is out of range")]
    [InlineData("[-1]", "index -1 is out of range")]
    [InlineData("""["Cz"]""", "no channel is named 'Cz'")]
    [InlineData("[1.5]", "0-based index (integer) or a channel name")]
    [InlineData("[0, \"Fp1\"]", "same channel twice")]
    public void Resolve_Bad_SaysWhatIsWrongAndWhatIsAllowed(string request, string expected)
    {
        var ex = Assert.Throws<InvalidRequestException>(() => ChannelSelector.Resolve(Json(request), Channels));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        if (!expected.Contains("twice", StringComparison.Ordinal) && !expected.Contains("integer", StringComparison.Ordinal))
        {
            Assert.Contains("0=Fp1, 1=Fp2, 2=O1, 3=O2", ex.Message, StringComparison.Ordinal);
        }
    }
}
