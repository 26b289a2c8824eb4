using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing;
using NeuraScale.Processing.Devices;
using NeuraScale.Storage;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>Device tool arguments refused before anything is sent, each saying what is allowed.</summary>
public sealed class DeviceControlValidationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Technician = new("key:tech", "tech", new HashSet<string> { "technician" }, new HashSet<string> { Permissions.DevicesRead, Permissions.DevicesControl }, null);

    [Theory]
    [InlineData("John Smith", 10.0, null, "patient_id must be a patient pseudonym")]
    [InlineData("psn_abcdefghijklmnop", 0.0, null, "duration_seconds must be more than 0 and at most 86400")]
    [InlineData("psn_abcdefghijklmnop", 100000.0, null, "duration_seconds must be more than 0 and at most 86400")]
    [InlineData("psn_abcdefghijklmnop", 10.0, 501, "description is 501 characters; at most 500")]
    public async Task StartRecording_BadArguments_AreRefusedSayingWhatIsAllowed(string patient, double duration, int? descriptionLength, string expected)
    {
        await using var services = await ServicesAsync();
        var devices = services.GetRequiredService<DeviceControlService>();

        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => devices.StartRecordingAsync(Technician, "any", patient, duration, descriptionLength is { } n ? new string('a', n) : null, 1, null, Ct));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(61.0)]
    [InlineData(double.NaN)]
    public async Task WaitSeconds_OutOfRange_IsRefused(double wait)
    {
        await using var services = await ServicesAsync();
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => services.GetRequiredService<DeviceControlService>().SendAsync(Technician, "any", "connect", "{}", wait, null, Ct));
        Assert.Contains("wait_seconds must be 0–60", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDevices_UnknownStatus_IsRefusedNamingTheStatuses()
    {
        await using var services = await ServicesAsync();
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => services.GetRequiredService<DeviceControlService>().ListAsync(null, "busy", null, Ct));
        Assert.Equal("status 'busy' is not one of all, connected, disconnected, recording, offline.", refused.Message);
    }

    private async Task<ServiceProvider> ServicesAsync()
    {
        var storage = azurite.IsolatedOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(storage)).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddNeuraScaleStorage(configuration).AddNeuraScaleApplication(configuration);
        var provider = services.BuildServiceProvider();
        await StorageServiceCollectionExtensions.CreateClients(storage).EnsureCreatedAsync(Ct);
        return provider;
    }
}
