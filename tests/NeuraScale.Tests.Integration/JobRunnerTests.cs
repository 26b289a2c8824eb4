using NeuraScale.Domain;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeuraScale.Processing.Jobs;
using NeuraScale.Storage;
using NeuraScale.Storage.Jobs;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Integration;

/// <summary>The job service on Azurite's tables and queues: retries with back-off, the poison queue, cancellation, duplicates.</summary>
public sealed class JobRunnerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailingJob_IsRetried_ThenParkedInThePoisonQueueWithItsReason()
    {
        var handler = new ScriptedHandler((_, _, _) => throw new IOException("the disk is on fire"));
        var (runner, store, clients) = await CreateAsync(handler, new JobOptions { MaxAttempts = 3, RetryBaseDelay = TimeSpan.Zero });
        var job = await SubmitAsync(store, clients);
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == JobRunner.TelemetrySource,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var handled = await DrainAsync(runner, clients);

        // Each attempt is a span with kind, id, attempt and outcome, and an error status; nothing of the request.
        var attempts = spans.Where(s => (string?)s.GetTagItem("neurascale.job.id") == job.Id).OrderBy(s => s.GetTagItem("neurascale.job.attempt")).ToArray();
        Assert.Equal([1, 2, 3], attempts.Select(s => (int)s.GetTagItem("neurascale.job.attempt")!));
        Assert.All(attempts, s => Assert.Equal(("failed", System.Diagnostics.ActivityStatusCode.Error), ((string?)s.GetTagItem("neurascale.job.outcome"), s.Status)));
        Assert.All(attempts, s => Assert.Equal(["neurascale.job.kind", "neurascale.job.id", "neurascale.job.attempt", "neurascale.job.outcome"], s.TagObjects.Select(t => t.Key)));

        Assert.Equal(3, handled);
        Assert.Equal(3, handler.Calls);
        var failed = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal(3, failed.Attempts);
        Assert.Equal("Failed after 3 attempts: IOException: the disk is on fire", failed.Message);
        var poisoned = await ReadPoisonAsync(clients);
        Assert.Equal(job.Id, poisoned.JobId);
        Assert.Equal(3, poisoned.Attempts);
        Assert.Equal("IOException: the disk is on fire", poisoned.Reason);
    }

    [Fact]
    public async Task Retry_WaitsItsBackOff_InvisibleInTheQueueUntilThen()
    {
        var handler = new ScriptedHandler((_, _, _) => throw new TimeoutException("storage timed out"));
        var (runner, store, clients) = await CreateAsync(handler, new JobOptions { MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(2) });
        var job = await SubmitAsync(store, clients);

        Assert.Equal(1, await DrainAsync(runner, clients));

        var retrying = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Retrying, retrying.Status);
        Assert.Equal("Attempt 1 failed (TimeoutException: storage timed out); attempt 2 of 3 starts in 3600 s.", retrying.Message);
        Assert.Equal(1, (await clients.JobsQueue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount); // queued …
        Assert.Empty((await clients.JobsQueue.PeekMessagesAsync(10, Ct)).Value);                           // … but not visible yet
    }

    [Fact]
    public async Task InputError_IsNotRetried()
    {
        var handler = new ScriptedHandler((_, _, _) => throw new InvalidRequestException("Session ses_x no longer exists."));
        var (runner, store, clients) = await CreateAsync(handler, new JobOptions { MaxAttempts = 5, RetryBaseDelay = TimeSpan.Zero });
        var job = await SubmitAsync(store, clients);

        Assert.Equal(1, await DrainAsync(runner, clients));

        var failed = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("Failed: Session ses_x no longer exists.", failed.Message);
        Assert.Equal("Session ses_x no longer exists.", (await ReadPoisonAsync(clients)).Reason);
    }

    [Fact]
    public async Task CancelRequest_StopsARunningJob_AtItsNextCheck()
    {
        var started = new TaskCompletionSource();
        var handler = new ScriptedHandler(async (_, progress, ct) =>
        {
            progress.Report(0.25);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "{}";
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new JobOptions { CheckInterval = TimeSpan.FromSeconds(1) };
        var (runner, store, clients) = await CreateAsync(handler, options, time);
        var job = await SubmitAsync(store, clients);

        var run = runner.RunAsync(new JobMessage(job.Id, 1), Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await store.RequestCancelAsync(job.Id, Ct);
        time.Advance(options.CheckInterval);
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var cancelled = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(0.25, cancelled.Progress); // saved by the check that found the request
        Assert.NotNull(cancelled.CompletedAt);
    }

    [Fact]
    public async Task Success_StoresTheResult_AndADuplicateDeliveryDoesNothing()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult("{\"files\":1}"));
        var (runner, store, clients) = await CreateAsync(handler, new JobOptions());
        var job = await SubmitAsync(store, clients);

        await runner.RunAsync(new JobMessage(job.Id, 1), Ct);
        await runner.RunAsync(new JobMessage(job.Id, 1), Ct);

        Assert.Equal(1, handler.Calls);
        var done = (await store.GetAsync(job.Id, Ct))!;
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal("{\"files\":1}", done.Result);
        Assert.Equal(1, done.Progress);
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public async Task MessageDeliveredTooOften_OrUnreadable_IsParked()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult("{}"));
        var (runner, store, clients) = await CreateAsync(handler, new JobOptions { MaxDeliveries = 5 });
        var job = await SubmitAsync(store, clients);

        await runner.HandleAsync(JsonSerializer.Serialize(new JobMessage(job.Id, 1)), deliveries: 6, Ct);
        await runner.HandleAsync("not a job", deliveries: 1, Ct);

        Assert.Equal(0, handler.Calls);
        Assert.Equal(JobStatus.Failed, (await store.GetAsync(job.Id, Ct))!.Status);
        Assert.StartsWith("Delivered 6 times without finishing", (await ReadPoisonAsync(clients)).Reason, StringComparison.Ordinal);
        Assert.StartsWith("The message is not a job message", (await ReadPoisonAsync(clients)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameId_IsOneJob_AndAFailedOneRestartsAfresh()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var store = new JobStore(clients, TimeProvider.System);
        var wanted = new JobRecord { Id = "job_" + Guid.NewGuid().ToString("N")[..20], Kind = "test", Owner = "caller-1", Request = "{}" };

        var (first, created) = await store.CreateAsync(wanted, Ct);
        var (second, createdAgain) = await store.CreateAsync(wanted, Ct);
        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);

        Assert.Null(await store.RestartAsync(second, Ct)); // not finished: nothing to restart
        await store.UpdateAsync(wanted.Id, new JobUpdate { Status = JobStatus.Failed, Attempts = 4, Message = "Failed: x", CompletedAt = DateTimeOffset.UtcNow }, Ct);
        var restarted = await store.RestartAsync((await store.GetAsync(wanted.Id, Ct))!, Ct);
        Assert.NotNull(restarted);
        var stored = (await store.GetAsync(wanted.Id, Ct))!;
        Assert.Equal(JobStatus.Queued, stored.Status);
        Assert.Equal(0, stored.Attempts);
        Assert.Null(stored.Message);
    }

    [Fact]
    public async Task Housekeeping_DeletesOnlyJobsFinishedLongerAgoThanKept()
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 3, 30, 0, TimeSpan.Zero));
        var store = new JobStore(clients, time);
        var now = time.GetUtcNow();
        async Task<string> JobAsync(JobStatus status, DateTimeOffset? completed)
        {
            var (job, _) = await store.CreateAsync(new JobRecord { Id = "job_" + Guid.NewGuid().ToString("N")[..20], Kind = "export", Owner = "caller-1", Request = "{}" }, Ct);
            await store.UpdateAsync(job.Id, new JobUpdate { Status = status, CompletedAt = completed }, Ct);
            return job.Id;
        }

        var old = await JobAsync(JobStatus.Succeeded, now.AddDays(-40));
        var oldFailed = await JobAsync(JobStatus.Failed, now.AddDays(-31));
        var recent = await JobAsync(JobStatus.Succeeded, now.AddDays(-5));
        var running = await JobAsync(JobStatus.Running, null);

        var housekeeping = new JobHousekeeping(store, new NeuraScale.Storage.RateLimits.RateCounterTable(clients), Options.Create(new JobOptions { KeepFinishedJobs = TimeSpan.FromDays(30) }), time, NullLogger<JobHousekeeping>.Instance);
        Assert.Equal(2, await housekeeping.SweepAsync(Ct));

        Assert.Null(await store.GetAsync(old, Ct));
        Assert.Null(await store.GetAsync(oldFailed, Ct));
        Assert.NotNull(await store.GetAsync(recent, Ct));
        Assert.NotNull(await store.GetAsync(running, Ct));
    }

    private async Task<(JobRunner Runner, JobStore Store, StorageClients Clients)> CreateAsync(IJobHandler handler, JobOptions options, TimeProvider? time = null)
    {
        var clients = await azurite.CreateStorageAsync(Ct);
        time ??= TimeProvider.System;
        var store = new JobStore(clients, time);
        var runner = new JobRunner(store, new JobQueues(clients), [handler], Options.Create(options), time, NullLogger<JobRunner>.Instance);
        return (runner, store, clients);
    }

    private static async Task<JobRecord> SubmitAsync(JobStore store, StorageClients clients)
    {
        var (job, _) = await store.CreateAsync(new JobRecord { Id = "job_" + Guid.NewGuid().ToString("N")[..20], Kind = ScriptedHandler.JobKind, Owner = "caller-1", Request = "{}" }, Ct);
        await new JobQueues(clients).EnqueueAsync(new JobMessage(job.Id, 1), TimeSpan.Zero, Ct);
        return job;
    }

    /// <summary>What the queue worker does, until the queue has nothing visible: returns the messages handled.</summary>
    private static async Task<int> DrainAsync(JobRunner runner, StorageClients clients)
    {
        var handled = 0;
        while ((await clients.JobsQueue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1), Ct)).Value is [var message])
        {
            await runner.HandleAsync(message.Body.ToString(), message.DequeueCount, Ct);
            await clients.JobsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
            handled++;
        }

        return handled;
    }

    private static async Task<PoisonedJob> ReadPoisonAsync(StorageClients clients)
    {
        var message = Assert.Single((await clients.JobsPoisonQueue.ReceiveMessagesAsync(1, cancellationToken: Ct)).Value);
        await clients.JobsPoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        return JsonSerializer.Deserialize<PoisonedJob>(message.Body.ToString())!;
    }

    private sealed class ScriptedHandler(Func<JobRecord, IProgress<double>, CancellationToken, Task<string>> run) : IJobHandler
    {
        public const string JobKind = "scripted";
        private int _calls;

        public string Kind => JobKind;

        public string StartedBy => "a test";

        public int Calls => _calls;

        public Task<string> RunAsync(JobRecord job, IProgress<double> progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return run(job, progress, cancellationToken);
        }

        public JobOutput ReadOutput(JobRecord job) => new([], null);
    }
}
