using System.Reflection;
using NeuraScale.Domain;
using NeuraScale.Signals.Filters;
using NeuraScale.Storage.Signals;

namespace NeuraScale.Processing.Filtering;

/// <summary>
/// Filters a window of a stored recording into a derived recording with lineage. Works block by block in bounded
/// memory: a causal filter streams once; a zero-phase filter streams forward into a scratch file and then backward,
/// reproducing <c>scipy.signal.sosfiltfilt</c> (odd padding, steady-state start) over the whole window exactly.
/// </summary>
public sealed class SignalFilterService(SignalWindowReader reader, DerivedRecordingStore derivedStore, TimeProvider time)
{
    /// <summary>Upper bound on samples (all channels) held per block.</summary>
    public const int BlockValues = 4_000_000;

    /// <summary>Longest block, seconds: progress is reported at least this often.</summary>
    public const int MaxBlockSeconds = 60;

    private static readonly string Software =
        "NeuraScale.Signals " + (typeof(ButterworthDesign).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// Runs <paramref name="job"/>, or returns the recording an identical earlier job completed. Progress goes from
    /// 0 to 1. Throws <see cref="InvalidRequestException"/> when the window is too short for the filter.
    /// </summary>
    public async Task<FilteredRecording> FilterAsync(FilterJob job, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var source = job.Source;
        var sos = job.Filter.Design(source.SamplingRateHz);
        if (job.Filter.ZeroPhase && job.SampleCount <= sos.PadLength)
        {
            throw new InvalidRequestException(
                $"Zero-phase filtering with this filter needs more than {sos.PadLength} samples ({sos.PadLength / source.SamplingRateHz:0.###} s); the window has {job.SampleCount}. Widen the window or set zero_phase to false.");
        }

        var id = SessionId.Derived(job.Recipe);
        if (await derivedStore.FindCompletedAsync(id, cancellationToken).ConfigureAwait(false) is { } done)
        {
            progress?.Report(1);
            return new FilteredRecording(done, Reused: true, sos);
        }

        var derived = await derivedStore.OpenAsync(Describe(job, id), cancellationToken).ConfigureAwait(false);
        var plan = new BlockPlan(job, sos.PadLength);
        var events = job.Filter.ZeroPhase
            ? await ZeroPhaseAsync(job, derived, sos, plan, progress, cancellationToken).ConfigureAwait(false)
            : await CausalAsync(job, derived, sos, plan, progress, cancellationToken).ConfigureAwait(false);
        var completed = await derivedStore.CompleteAsync(id, job.SampleCount, events, cancellationToken).ConfigureAwait(false);
        progress?.Report(1);
        return new FilteredRecording(completed, Reused: false, sos);
    }

    private RecordingSession Describe(FilterJob job, SessionId id)
    {
        var source = job.Source;
        var fs = source.SamplingRateHz;
        var step = new ProcessingStep(job.Filter.Operation, job.Filter.Parameters, job.Filter.ScipyEquivalent(fs), Software, time.GetUtcNow());
        return new RecordingSession
        {
            Id = id,
            Patient = source.Patient,
            DeviceId = source.DeviceId,
            DeviceModel = source.DeviceModel,
            Modality = source.Modality,
            Channels = job.Channels.Select(c => source.Channels[c]).ToArray(),
            SamplingRateHz = fs,
            StartTime = source.StartTime + TimeSpan.FromSeconds(job.FirstSample / fs),
            Description = $"{job.Filter.Describe()} of {source.Id}",
            Lineage = new RecordingLineage
            {
                SourceSessionId = source.Id,
                RootSessionId = source.Lineage?.RootSessionId ?? source.Id,
                SourceFirstSample = job.FirstSample,
                SourceChannels = job.Channels,
                Steps = [.. source.Lineage?.Steps ?? [], step],
            },
        };
    }

    private async Task<int> CausalAsync(FilterJob job, RecordingSession derived, SecondOrderSections sos, BlockPlan plan, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var states = job.Channels.Select(_ => new double[2 * sos.SectionCount]).ToArray();
        var output = plan.NewBuffers();
        var events = 0;
        for (var b = 0; b < plan.Blocks; b++)
        {
            var (start, count) = plan.Block(b);
            var window = await ReadAsync(job, start, count, cancellationToken).ConfigureAwait(false);
            MultichannelFilter.Filter(sos, window.Data, output, states, count);
            var markers = Rebase(window.Events, job.FirstSample);
            events += markers.Count;
            await derivedStore.WriteAsync(derived, start, output, count, markers, cancellationToken).ConfigureAwait(false);
            progress?.Report((b + 1.0) / plan.Blocks);
        }

        return events;
    }

    private async Task<int> ZeroPhaseAsync(FilterJob job, RecordingSession derived, SecondOrderSections sos, BlockPlan plan, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var channels = job.Channels.Count;
        var pad = sos.PadLength;
        var unit = sos.SteadyStateForUnitStep();
        var states = new double[channels][];
        var output = plan.NewBuffers();
        var events = new List<IReadOnlyList<EventMarker>>();
        using var scratch = new ScratchSignal(channels, plan.BlockSamples);

        // Forward: odd extension on the left (only the state it leaves matters), then the window, block by block.
        for (var b = 0; b < plan.Blocks; b++)
        {
            var (start, count) = plan.Block(b);
            var window = await ReadAsync(job, start, count, cancellationToken).ConfigureAwait(false);
            events.Add(Rebase(window.Events, job.FirstSample));
            if (b == 0)
            {
                Parallel.For(0, channels, c =>
                {
                    var left = new double[pad];
                    SecondOrderSections.OddExtensionLeft(window.Data[c].AsSpan(0, count), left);
                    states[c] = SecondOrderSections.StartState(unit, left[0]);
                    sos.Filter(left, new double[pad], states[c]);
                });
            }

            MultichannelFilter.Filter(sos, window.Data, output, states, count);
            await scratch.WriteAsync(b, output, count, cancellationToken).ConfigureAwait(false);
            progress?.Report(0.5 * (b + 1) / plan.Blocks);
        }

        // The odd extension on the right, from the window's last pad + 1 samples; backward starts from its end.
        var tail = await ReadAsync(job, job.SampleCount - pad - 1, pad + 1, cancellationToken).ConfigureAwait(false);
        Parallel.For(0, channels, c =>
        {
            var right = new double[pad];
            SecondOrderSections.OddExtensionRight(tail.Data[c], right);
            var forwardRight = new double[pad];
            sos.Filter(right, forwardRight, states[c]);
            Array.Reverse(forwardRight);
            states[c] = SecondOrderSections.StartState(unit, forwardRight[0]);
            sos.Filter(forwardRight, new double[pad], states[c]);
        });

        // Backward, last block first, in place; each block's final samples are written as soon as they are known.
        for (var b = plan.Blocks - 1; b >= 0; b--)
        {
            var (start, count) = plan.Block(b);
            await scratch.ReadAsync(b, output, count, cancellationToken).ConfigureAwait(false);
            MultichannelFilter.Filter(sos, output, output, states, count, backward: true);

            await derivedStore.WriteAsync(derived, start, output, count, events[b], cancellationToken).ConfigureAwait(false);
            progress?.Report(0.5 + (0.5 * (plan.Blocks - b) / plan.Blocks));
        }

        return events.Sum(e => e.Count);
    }

    private Task<SignalWindow> ReadAsync(FilterJob job, long start, int count, CancellationToken cancellationToken) =>
        reader.ReadAsync(job.Source, job.FirstSample + start, count, job.Channels, cancellationToken);

    private static List<EventMarker> Rebase(IReadOnlyList<EventMarker> events, long firstSample) =>
        events.Select(e => e with { Sample = e.Sample - firstSample }).ToList();

    /// <summary>How the window is cut into blocks: whole chunks, bounded in values, long enough for the padding.</summary>
    private sealed class BlockPlan
    {
        private readonly long _total;

        public BlockPlan(FilterJob job, int pad)
        {
            var chunk = job.Source.ChunkSamples;
            var chunksPerBlock = Math.Clamp(BlockValues / Math.Max(1, job.Channels.Count) / chunk, 1, MaxBlockSeconds);
            chunksPerBlock = Math.Max(chunksPerBlock, (pad + chunk) / chunk);
            BlockSamples = chunksPerBlock * chunk;
            _total = job.SampleCount;
            Blocks = checked((int)((_total + BlockSamples - 1) / BlockSamples));
            ChannelCount = job.Channels.Count;
        }

        public int BlockSamples { get; }

        public int Blocks { get; }

        private int ChannelCount { get; }

        public (long Start, int Count) Block(int b)
        {
            var start = (long)b * BlockSamples;
            return (start, (int)Math.Min(BlockSamples, _total - start));
        }

        public double[][] NewBuffers() => Enumerable.Range(0, ChannelCount).Select(_ => new double[BlockSamples]).ToArray();
    }
}
