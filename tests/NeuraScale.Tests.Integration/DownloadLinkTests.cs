using System.Net;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Storage.Exports;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>SAS download links on Azurite: a plain HTTP client downloads with one; a tampered or expired one is refused by the service.</summary>
public class DownloadLinkTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Link_DownloadsTheOneBlob_AsAnAttachment_AndNothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        var content = new BinaryData("0 1 2 3 export bytes"u8.ToArray());
        await clients.ExportsContainer.GetBlobClient("exp_1/recording.edf").UploadAsync(content, ct);
        await clients.ExportsContainer.GetBlobClient("exp_2/other.edf").UploadAsync(content, ct);
        var issuer = new DownloadLinkIssuer(clients, TimeProvider.System);

        var link = await issuer.IssueAsync("exp_1/recording.edf", "S001 eyes closed.edf", TimeSpan.FromHours(24), ct);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link.Url, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content.ToArray(), await response.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal("attachment; filename=\"S001 eyes closed.edf\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.InRange(link.ExpiresAt, DateTimeOffset.UtcNow.AddHours(23.9), DateTimeOffset.UtcNow.AddHours(24.1));

        // The same signature does not open a neighbour, and cannot be edited.
        var neighbour = new Uri(link.Url.ToString().Replace("exp_1/recording.edf", "exp_2/other.edf", StringComparison.Ordinal));
        using var other = await http.GetAsync(neighbour, ct);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(link.Url.Query);
        var tampered = new Uri(link.Url.ToString().Replace("sp=r", "sp=rw", StringComparison.Ordinal));
        using var edited = await http.GetAsync(tampered, ct);
        Assert.Equal("r", query["sp"]);
        Assert.Equal(HttpStatusCode.Forbidden, edited.StatusCode);
    }

    [Fact]
    public async Task ExpiredLink_IsRefusedByTheService()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = await azurite.CreateStorageAsync(ct);
        await clients.ExportsContainer.GetBlobClient("exp_3/old.csv").UploadAsync(new BinaryData("a,b\n1,2\n"u8.ToArray()), ct);
        var twoDaysAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));

        var link = await new DownloadLinkIssuer(clients, twoDaysAgo).IssueAsync("exp_3/old.csv", "old.csv", TimeSpan.FromHours(24), ct);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link.Url, ct);

        Assert.True(link.ExpiresAt < DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Validity_BeyondSevenDays_IsRefused()
    {
        var clients = await azurite.CreateStorageAsync(TestContext.Current.CancellationToken);
        var issuer = new DownloadLinkIssuer(clients, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => issuer.IssueAsync("x", "x", TimeSpan.FromDays(8), TestContext.Current.CancellationToken));
        Assert.Contains("at most 168 hours", ex.Message, StringComparison.Ordinal);
    }
}
