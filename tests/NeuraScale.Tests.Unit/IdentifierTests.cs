using NeuraScale.Domain;

namespace NeuraScale.Tests.Unit;

public class IdentifierTests
{
    [Fact]
    public void SessionId_New_RoundTripsThroughParse()
    {
        var id = SessionId.New();

        Assert.Equal(id, SessionId.Parse(id.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ses_")]
    [InlineData("ses_ABCDEFGHIJKLMNOPQRST")]
    [InlineData("ses_abcdefghijklmnopqrs1")]
    [InlineData("ses_abcdefghijklmnopqrst' or 1 eq 1")]
    [InlineData("psn_abcdefghijklmnop")]
    public void SessionId_TryParse_RejectsMalformed(string text)
    {
        Assert.False(SessionId.TryParse(text, out _));
        var ex = Assert.Throws<FormatException>(() => SessionId.Parse(text));
        Assert.Contains("ses_", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatientIdentity_ToString_DoesNotLeakPhi()
    {
        var identity = new PatientIdentity("Ada", "Lovelace", new DateOnly(1815, 12, 10), "MRN-1234");

        var text = identity.ToString() + new Patient(PatientPseudonym.New(), identity, DateTimeOffset.UnixEpoch).ToString();

        Assert.DoesNotContain("Ada", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Lovelace", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1815", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-1234", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(250.5)]
    [InlineData(0)]
    [InlineData(50_000)]
    public void ValidateLayout_BadSamplingRate_ListsAllowedRange(double rate)
    {
        var ex = Assert.Throws<ArgumentException>(() => SessionRules.ValidateLayout([new ChannelInfo("Cz", ChannelType.EEG, "uV")], rate));
        Assert.Contains("whole number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateLayout_DuplicateChannelNames_AreRejected()
    {
        ChannelInfo[] channels = [new("Cz", ChannelType.EEG, "uV"), new("cz", ChannelType.EEG, "uV")];

        Assert.Throws<ArgumentException>(() => SessionRules.ValidateLayout(channels, 250));
    }
}
