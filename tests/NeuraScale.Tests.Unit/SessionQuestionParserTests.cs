using System.Globalization;
using System.Text;
using NeuraScale.Processing.NeuralData.Queries;

namespace NeuraScale.Tests.Unit;

/// <summary>
/// The natural-language query parser against a table of phrasings and the filters each must give, at a fixed "now"
/// (Sunday 2026-11-29 10:00 UTC; the week began Monday 23 November). Rendering: p= patient, m= modality, from= / before=
/// start bounds (a date when at midnight), &gt; / &gt;= / &lt; / &lt;= duration in seconds, dev= device, st= status, ch= channels,
/// ev= events, derived, n= count, ?= words not understood.
/// </summary>
public sealed class SessionQuestionParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private const string Psn = "psn_abcdefghijklmnop";

    public static TheoryData<string, string> Phrasings => new()
    {
        // The brief's and the examples
        { $"EEG sessions of {Psn} from last week longer than 10 minutes with events", $"p={Psn} m=EEG from=2026-11-16 before=2026-11-23 >600 ev=yes" },
        { "ECG recorded since 1 March on device sim-ecg-01", "m=ECG from=2026-03-01 dev=sim-ecg-01" },
        { "the newest session with O1 and O2", "ch=O1+O2 n=1" },
        // Modalities
        { "EEG", "m=EEG" },
        { "all EMG recordings", "m=EMG" },
        { "ekg sessions", "m=ECG" },
        { "heart recordings", "m=ECG" },
        { "muscle recordings", "m=EMG" },
        { "electroencephalograms from yesterday", "m=EEG from=2026-11-28 before=2026-11-29" },
        { "Show me all ECGs", "m=ECG" },
        // Relative dates
        { "sessions recorded today", "from=2026-11-29 before=2026-11-30" },
        { "EEGs this week", "m=EEG from=2026-11-23 before=2026-11-30" },
        { "EEGs this month", "m=EEG from=2026-11-01 before=2026-12-01" },
        { "last month", "from=2026-10-01 before=2026-11-01" },
        { "sessions from last year", "from=2025-01-01 before=2026-01-01" },
        { "this year", "from=2026-01-01 before=2027-01-01" },
        { "in the past week", "from=2026-11-22T10:00" },
        { "in the last 7 days", "from=2026-11-22T10:00" },
        { "past 3 days", "from=2026-11-26T10:00" },
        { "in the last 24 hours", "from=2026-11-28T10:00" },
        { "past 2 months", "from=2026-09-29T10:00" },
        { "3 days ago", "from=2026-11-26 before=2026-11-27" },
        { "a week ago", "from=2026-11-22 before=2026-11-23" },
        { "since last week", "from=2026-11-16" },
        { "sessions before yesterday", "before=2026-11-28" },
        { "EEGs of last 2 weeks", "m=EEG from=2026-11-15T10:00" },
        { "sessions recorded over the past week", "from=2026-11-22T10:00" },
        { "previous month", "from=2026-10-01 before=2026-11-01" },
        { "the last hour", "from=2026-11-29T09:00 before=2026-11-29T10:00" },
        { "past hour", "from=2026-11-29T09:00" },
        // Absolute dates
        { "since 2026-03-01", "from=2026-03-01" },
        { "on 2026-03-01", "from=2026-03-01 before=2026-03-02" },
        { "2026-03-01", "from=2026-03-01 before=2026-03-02" },
        { "before 2026-03-01", "before=2026-03-01" },
        { "after 2026-03-01", "from=2026-03-02" },
        { "until 2026-03-01", "before=2026-03-02" },
        { "between 2026-03-01 and 2026-03-15", "from=2026-03-01 before=2026-03-16" },
        { "from 1 March to 15 March", "from=2026-03-01 before=2026-03-16" },
        { "from March 1st to March 15th 2026", "from=2026-03-01 before=2026-03-16" },
        { "EEG from 1 March until 15 March", "m=EEG from=2026-03-01 before=2026-03-16" },
        { "in March", "from=2026-03-01 before=2026-04-01" },
        { "in March 2025", "from=2025-03-01 before=2025-04-01" },
        { "in December", "from=2025-12-01 before=2026-01-01" },
        { "since December", "from=2025-12-01" },
        { "on 1 December", "from=2025-12-01 before=2025-12-02" },
        { "on the 1st of March", "from=2026-03-01 before=2026-03-02" },
        { "March 1, 2026", "from=2026-03-01 before=2026-03-02" },
        { "sessions from 30 november 2025", "from=2025-11-30 before=2025-12-01" },
        { "on Monday", "from=2026-11-23 before=2026-11-24" },
        { "on Sunday", "from=2026-11-29 before=2026-11-30" },
        { "since Friday", "from=2026-11-27" },
        { "in 2025", "from=2025-01-01 before=2026-01-01" },
        { "in May", "from=2026-05-01 before=2026-06-01" },
        { "since May 2025", "from=2025-05-01" },
        { "Nov 2 2026", "from=2026-11-02 before=2026-11-03" },
        { "sept 2026", "from=2026-09-01 before=2026-10-01" },
        // Durations
        { "longer than 10 minutes", ">600" },
        { "more than 30 s", ">30" },
        { "over an hour", ">3600" },
        { "at least 1 hour", ">=3600" },
        { "shorter than 5 minutes", "<300" },
        { "under 2 min", "<120" },
        { "less than 90 seconds", "<90" },
        { "at most 20 minutes", "<=1200" },
        { "between 5 and 10 minutes", ">=300 <=600" },
        { "between 1 and 2 hours", ">=3600 <=7200" },
        { "> 5 min", ">300" },
        { "longer than 1.5 hours", ">5400" },
        { "greater than 45 minutes", ">2700" },
        { "longer than forty-five minutes", ">2700" },
        { "shorter than ten minutes", "<600" },
        { "sessions lasting more than 2 hours", ">7200" },
        { "EEGs over 30 minutes long", "m=EEG >1800" },
        // Devices
        { "on device sim-ecg-01", "dev=sim-ecg-01" },
        { "from local-eeg-01", "dev=local-eeg-01" },
        { "recorded on amplifier local-emg-01", "dev=local-emg-01" },
        { "device local-playback-02", "dev=local-playback-02" },
        { "sim-ecg-01 sessions", "dev=sim-ecg-01" },
        // Status
        { "completed EEG sessions", "m=EEG st=Completed" },
        { "finished recordings", "st=Completed" },
        { "interrupted sessions", "st=Interrupted" },
        { "sessions that were aborted", "st=Interrupted" },
        { "sessions that never finished", "st=Interrupted" },
        { "still recording", "st=Recording" },
        { "sessions currently recording", "st=Recording" },
        { "live EEG", "m=EEG st=Recording" },
        { "sessions in progress", "st=Recording" },
        { "ongoing sessions", "st=Recording" },
        // Channels
        { "with O1", "ch=O1" },
        { "channels Fp1, Fp2 and Cz", "ch=Fp1+Fp2+Cz" },
        { "sessions containing AF3 and FC5", "ch=AF3+FC5" },
        { "sessions with channel Pz", "ch=Pz" },
        { "Fz Cz Pz", "ch=Fz+Cz+Pz" },
        // Events and derived recordings
        { "with events", "ev=yes" },
        { "with markers", "ev=yes" },
        { "that have annotations", "ev=yes" },
        { "without events", "ev=no" },
        { "with no markers", "ev=no" },
        { "sessions with any stimuli", "ev=yes" },
        { "no events", "ev=no" },
        { "including derived", "derived" },
        { "with filtered copies", "derived" },
        { "derived recordings", "derived" },
        // How many
        { "the latest session", "n=1" },
        { "latest 5 sessions", "n=5" },
        { "the 3 newest EEGs", "m=EEG n=3" },
        { "last 3 sessions", "n=3" },
        { "the most recent EEG", "m=EEG n=1" },
        { "5 most recent recordings", "n=5" },
        { "the newest sessions", "" },
        { $"last session of {Psn}", $"p={Psn} n=1" },
        { "newest ECG on sim-ecg-01", "m=ECG dev=sim-ecg-01 n=1" },
        // Patients
        { $"{Psn}", $"p={Psn}" },
        { "PSN_ABCDEFGHIJKLMNOP", $"p={Psn}" },
        { $"sessions for patient {Psn}", $"p={Psn}" },
        // Combinations
        { $"ECG of {Psn} recorded yesterday on device sim-ecg-01 longer than 30 seconds", $"p={Psn} m=ECG from=2026-11-28 before=2026-11-29 >30 dev=sim-ecg-01" },
        { "EMG sessions since 2026-11-01 shorter than 10 min without events", "m=EMG from=2026-11-01 <600 ev=no" },
        { "completed EEG with O1 and O2 from the past 3 days", "m=EEG from=2026-11-26T10:00 st=Completed ch=O1+O2" },
        { "EEG sessions longer than 10 minutes from last week", "m=EEG from=2026-11-16 before=2026-11-23 >600" },
        { "interrupted ECG recordings on local-ecg-01 this month", "m=ECG from=2026-11-01 before=2026-12-01 dev=local-ecg-01 st=Interrupted" },
        { "the latest EEG with Cz and events", "m=EEG ch=Cz ev=yes n=1" },
        // Words it does not understand are named, never guessed
        { "EEG sessions with seizures", "m=EEG ?=seizures" },
        { "sessions of John Smith", "?=john,smith" },
        { "oldest EEG", "m=EEG ?=oldest" },
        { "show me everything", "?=everything" },
        { "list all sessions", "" },
        { "EEG sessions that may show alpha", "m=EEG ?=may,alpha" },
        { "psn_invalid", "?=psn_invalid" },
        { "31 February", "from=2026-02-01 before=2026-03-01 ?=31" },
        { "10-minute EEGs", "m=EEG ?=10-minute" },
        { "longer than ten", "?=longer,ten" },
    };

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void Phrasing_GivesItsFilters(string question, string expected)
    {
        Assert.Equal(expected, Render(SessionQuestionParser.Parse(question, Now)));
    }

    [Fact]
    public void TheTable_HasAtLeastAHundredPhrasings() => Assert.True(Phrasings.Count >= 100, $"{Phrasings.Count} phrasings");

    [Fact]
    public void UnderstoodPhrases_AreReportedInOrder()
    {
        var parsed = SessionQuestionParser.Parse($"EEG sessions of {Psn} from last week longer than 10 minutes with events", Now);

        Assert.Equal(["eeg", Psn, "from last week", "longer than 10 minutes", "with events"], parsed.Understood);
    }

    private static string Render(ParsedQuestion parsed)
    {
        var s = parsed.Search;
        var parts = new List<string>();
        if (s.Patient is { } p)
        {
            parts.Add("p=" + p.Value);
        }

        if (s.Modality is { } m)
        {
            parts.Add("m=" + m);
        }

        if (s.StartedFrom is { } from)
        {
            parts.Add("from=" + Instant(from));
        }

        if (s.StartedBefore is { } before)
        {
            parts.Add("before=" + Instant(before));
        }

        if (s.LongerThanSeconds is { } longer)
        {
            parts.Add((Math.Abs(longer - Math.Round(longer)) < 1e-12 ? ">" : ">=") + Math.Round(longer).ToString(CultureInfo.InvariantCulture));
        }

        if (s.ShorterThanSeconds is { } shorter)
        {
            parts.Add((Math.Abs(shorter - Math.Round(shorter)) < 1e-12 ? "<" : "<=") + Math.Round(shorter).ToString(CultureInfo.InvariantCulture));
        }

        if (s.DeviceId is { } device)
        {
            parts.Add("dev=" + device);
        }

        if (s.Status is { } status)
        {
            parts.Add("st=" + status);
        }

        if (s.Channels.Count > 0)
        {
            parts.Add("ch=" + string.Join('+', s.Channels));
        }

        if (s.HasEvents is { } events)
        {
            parts.Add("ev=" + (events ? "yes" : "no"));
        }

        if (s.IncludeDerived)
        {
            parts.Add("derived");
        }

        if (s.Limit is { } n)
        {
            parts.Add("n=" + n.ToString(CultureInfo.InvariantCulture));
        }

        if (parsed.NotUnderstood.Count > 0)
        {
            parts.Add("?=" + string.Join(',', parsed.NotUnderstood));
        }

        return string.Join(' ', parts);
    }

    private static string Instant(DateTimeOffset t) =>
        t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
