using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using NeuraScale.Domain;
using NeuraScale.Domain.Access;
using NeuraScale.Processing;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage;
using NeuraScale.Storage.Exports;
using NeuraScale.Storage.Jobs;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>
/// The job service with a kind of job that is not an export (as reports and device commands will be), on Azurite:
/// idempotent submission, inline or queued start, owner-only status and cancellation, audited download links.
/// </summary>
public sealed class JobServiceTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Caller Alice = new("key:alice", "alice", new HashSet<string> { "clinician" }, new HashSet<string> { Permissions.NeuralDataExport }, null);
    private static readonly Caller Bob = new("key:bob", "bob", new HashSet<string> { "clinician" }, new HashSet<string> { Permissions.NeuralDataExport }, null);

    [Fact]
    public async Task AnyKindOfJob_RunsOncePerRequest_IsDeliveredWithAuditedLinks_AndSeenByItsOwnerOnly()
    {
        await using var services = await CreateAsync();
        var jobs = services.GetRequiredService<JobService>();
        var delivery = jobs.Delivery(linkExpiryHours: 1, waitSeconds: 5);
        var submission = new JobSubmission(NoteHandler.JobKind, """{"text":"hello"}""", "note|hello", ["psn_aaaaaaaaaaaaaaaa"], RunInline: true, IdempotencyKey: null);

        var first = await jobs.SubmitAsync(submission, Alice, delivery, null, Ct);
        var again = await jobs.SubmitAsync(submission, Alice, delivery, null, Ct);

        Assert.Equal("succeeded", first.Status);
        Assert.False(first.Existing);
        Assert.True(again.Existing);
        Assert.Equal(first.Job.Id, again.Job.Id);
        Assert.Equal(1, services.GetRequiredService<NoteHandler>().Runs);
        var file = Assert.Single(first.Files);
        using (var http = new HttpClient())
        {
            Assert.Equal("hello", await http.GetStringAsync(file.Link.Url, Ct));
        }

        Assert.Equal("hello", first.Details!.Value.GetProperty("text").GetString());
        Assert.Equal(first.Job.Id, (await jobs.GetAsync(first.Job.Id, Alice, delivery, Ct)).Job.Id);
        var stranger = await Assert.ThrowsAsync<InvalidRequestException>(() => jobs.GetAsync(first.Job.Id, Bob, delivery, Ct));
        Assert.Contains("does not exist among your jobs", stranger.Message, StringComparison.Ordinal);

        var audit = await AuditActionsAsync(services);
        Assert.Contains(("note/request", "created"), audit);
        Assert.Contains(("note/request", "existing"), audit);
        Assert.Equal(3, audit.Count(a => a == ("note/download_link", "issued"))); // one per delivery: two submissions and the status call
    }

    [Fact]
    public async Task QueuedJob_AnswersWithItsHandle_AndIsCancelledAtOnce_ByItsOwnerOnly()
    {
        await using var services = await CreateAsync();
        var jobs = services.GetRequiredService<JobService>();
        var submission = new JobSubmission(NoteHandler.JobKind, """{"text":"later"}""", "note|later", [], RunInline: false, IdempotencyKey: "my-key-1");

        var queued = await jobs.SubmitAsync(submission, Alice, jobs.Delivery(null, waitSeconds: 0), null, Ct);
        Assert.Equal("queued", queued.Status);
        Assert.Empty(queued.Files);

        await Assert.ThrowsAsync<InvalidRequestException>(() => jobs.CancelAsync(queued.Job.Id, Bob, Ct));
        var cancelled = await jobs.CancelAsync(queued.Job.Id, Alice, Ct);

        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal(0, services.GetRequiredService<NoteHandler>().Runs);
        var reused = await Assert.ThrowsAsync<InvalidRequestException>(() => jobs.SubmitAsync(submission with { Request = """{"text":"other"}""" }, Alice, jobs.Delivery(null, 0), null, Ct));
        Assert.Contains("was already used for a different note", reused.Message, StringComparison.Ordinal);
    }

    private async Task<ServiceProvider> CreateAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteFixture.ToConfiguration(azurite.IsolatedOptions())).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddNeuraScaleStorage(configuration).AddNeuraScaleApplication(configuration);
        services.AddSingleton<NoteHandler>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<NoteHandler>());
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StorageClients>().EnsureCreatedAsync(Ct);
        return provider;
    }

    private static async Task<(string? Action, string? Outcome)[]> AuditActionsAsync(IServiceProvider services)
    {
        var lines = await AuditLines.ReadAsync(services.GetRequiredService<StorageClients>(), Ct);
        return lines
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("outcome").GetString()))
            .ToArray();
    }

    /// <summary>A job kind of its own: writes the request's text to a file in the exports container.</summary>
    private sealed class NoteHandler(ExportFileStore files) : IJobHandler
    {
        public const string JobKind = "note";
        private int _runs;

        public string Kind => JobKind;

        public string StartedBy => "a test";

        public int Runs => _runs;

        public async Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            var text = JsonDocument.Parse(job.Request).RootElement.GetProperty("text").GetString()!;
            var uploaded = await files.UploadAsync($"{job.Id}/note.txt", "text/plain", s => s.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask(), cancellationToken);
            var file = new JobFile("note", uploaded.BlobName, "note.txt", "text/plain", uploaded.SizeBytes, uploaded.Sha256);
            return JsonSerializer.Serialize(new { file, text });
        }

        public JobOutput ReadOutput(JobRecord job)
        {
            if (job.Result is null)
            {
                return new JobOutput([], null);
            }

            var result = JsonDocument.Parse(job.Result).RootElement;
            return new JobOutput([result.GetProperty("file").Deserialize<JobFile>()!], JsonSerializer.SerializeToElement(new { text = result.GetProperty("text").GetString() }));
        }
    }
}
