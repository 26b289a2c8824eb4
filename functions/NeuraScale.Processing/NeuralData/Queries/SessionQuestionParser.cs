using System.Globalization;
using System.Text.RegularExpressions;
using NeuraScale.Domain;

namespace NeuraScale.Processing.NeuralData.Queries;

/// <summary>A question parsed: the filters, and the words that were not understood (named back to the asker, never guessed).</summary>
public sealed record ParsedQuestion(SessionSearch Search, IReadOnlyList<string> NotUnderstood, IReadOnlyList<string> Understood);

/// <summary>
/// Deterministic parser (no language model) from a question about recordings — "EEG sessions of psn_… from last week
/// longer than 10 minutes with events", "ECG recorded since 1 March on device sim-ecg-01", "the newest session with O1
/// and O2" — to catalog filters. Words are read left to right against a small grammar: patient pseudonyms, modalities,
/// dates (absolute: ISO, "1 March", "March 1st 2026", month names, weekdays; relative: today, yesterday, this/last
/// week/month/year, past N days/weeks/months/hours, N days ago; with since/after/before/until/on/between…and/from…to),
/// durations (longer/shorter than, over/under, at least/most, between N and M minutes), device ids, status, 10–10
/// channel labels, events, derived recordings, and how many ("the newest", "latest 5"). Calendar words are UTC; weeks
/// start on Monday; a date without a year is its latest occurrence not after today. Filler words are ignored; any
/// other word is returned as not understood.
/// </summary>
public static partial class SessionQuestionParser
{
    public const int MaxQuestionLength = 500;

    public static ParsedQuestion Parse(string question, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(question);
        var state = new State(Tokenize(question), now.ToUniversalTime());
        state.Run();
        return new ParsedQuestion(state.Search, state.Unknown, state.Understood);
    }

    private static List<string> Tokenize(string question) =>
        [.. TokenPattern().Matches(question.ToLowerInvariant()).Select(m => m.Value)];

    [GeneratedRegex(@"psn_[a-z0-9]+|\d{4}-\d{2}-\d{2}|[<>]=?|[a-z0-9]+(?:[-.'][a-z0-9]+)*")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^(fp|af|ft|fc|tp|cp|po|f|c|t|p|o|i|a|m)(z|[1-9]|10)$")]
    private static partial Regex ChannelPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")]
    private static partial Regex DevicePattern();

    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "show", "me", "list", "find", "get", "give", "fetch", "search", "look", "lookup", "all", "any", "every", "the", "a", "an", "of", "for", "from",
        "with", "and", "that", "which", "who", "were", "was", "is", "are", "be", "been", "have", "has", "had", "recorded",
        "taken", "made", "acquired", "captured", "session", "sessions", "recording", "recordings", "record", "records", "data", "please",
        "in", "on", "at", "by", "to", "my", "our", "patient", "patients", "what", "there", "do", "does", "we", "i", "can",
        "you", "ones", "one", "studies", "study", "exam", "exams", "test", "tests", "signal", "signals", "channel", "channels",
        "electrode", "electrodes", "lead", "leads", "it", "them", "those", "these", "than", "where", "whose", "containing", "include",
        "includes", "including", "having", "both", "also", "only", "just", "some", "'s", "s", "device", "devices", "amplifier", "during",
        "recent", "over", "ever", "long", "duration", "lasting", "lasted", "it's", "how", "many", "as", "well",
    };

    private static readonly Dictionary<string, Modality> Modalities = new(StringComparer.Ordinal)
    {
        ["eeg"] = Modality.EEG, ["eegs"] = Modality.EEG, ["electroencephalogram"] = Modality.EEG, ["electroencephalograms"] = Modality.EEG,
        ["electroencephalography"] = Modality.EEG, ["brain"] = Modality.EEG,
        ["emg"] = Modality.EMG, ["emgs"] = Modality.EMG, ["electromyogram"] = Modality.EMG, ["electromyograms"] = Modality.EMG,
        ["electromyography"] = Modality.EMG, ["muscle"] = Modality.EMG,
        ["ecg"] = Modality.ECG, ["ecgs"] = Modality.ECG, ["ekg"] = Modality.ECG, ["ekgs"] = Modality.ECG, ["electrocardiogram"] = Modality.ECG,
        ["electrocardiograms"] = Modality.ECG, ["electrocardiography"] = Modality.ECG, ["heart"] = Modality.ECG, ["cardiac"] = Modality.ECG,
    };

    private static readonly Dictionary<string, SessionStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["completed"] = SessionStatus.Completed, ["complete"] = SessionStatus.Completed, ["finished"] = SessionStatus.Completed,
        ["ended"] = SessionStatus.Completed, ["done"] = SessionStatus.Completed,
        ["interrupted"] = SessionStatus.Interrupted, ["aborted"] = SessionStatus.Interrupted, ["incomplete"] = SessionStatus.Interrupted,
        ["failed"] = SessionStatus.Interrupted, ["broken"] = SessionStatus.Interrupted,
        ["ongoing"] = SessionStatus.Recording, ["live"] = SessionStatus.Recording, ["running"] = SessionStatus.Recording,
        ["active"] = SessionStatus.Recording, ["in-progress"] = SessionStatus.Recording, ["unfinished"] = SessionStatus.Recording,
    };

    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
        ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8, ["september"] = 9,
        ["sep"] = 9, ["sept"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
    };

    private static readonly Dictionary<string, DayOfWeek> Weekdays = new(StringComparer.Ordinal)
    {
        ["monday"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday, ["wednesday"] = DayOfWeek.Wednesday, ["thursday"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["saturday"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday,
    };

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40,
        ["forty-five"] = 45, ["fifty"] = 50, ["sixty"] = 60, ["ninety"] = 90, ["hundred"] = 100,
    };

    private static readonly Dictionary<string, double> DurationUnits = new(StringComparer.Ordinal)
    {
        ["s"] = 1, ["sec"] = 1, ["secs"] = 1, ["second"] = 1, ["seconds"] = 1,
        ["m"] = 60, ["min"] = 60, ["mins"] = 60, ["minute"] = 60, ["minutes"] = 60,
        ["h"] = 3600, ["hr"] = 3600, ["hrs"] = 3600, ["hour"] = 3600, ["hours"] = 3600,
    };

    private static readonly string[] LongerWords = ["longer", "more", "over", "above", "greater", "exceeding", ">", ">=", "least", "beyond"];
    private static readonly string[] ShorterWords = ["shorter", "less", "under", "below", "<", "<=", "most", "fewer"];
    private static readonly string[] NewestWords = ["newest", "latest", "last", "most", "recent", "youngest"];
    private static readonly string[] EventWords = ["event", "events", "marker", "markers", "annotation", "annotations", "trigger", "triggers", "stimulus", "stimuli"];

    private enum Unit { Hour, Day, Week, Month, Year }

    /// <summary>The scan: each rule tries to consume words at the position; what no rule takes is filler or not understood.</summary>
    private sealed class State(List<string> tokens, DateTimeOffset now)
    {
        private int _i;

        public SessionSearch Search { get; private set; } = new();

        public List<string> Unknown { get; } = [];

        public List<string> Understood { get; } = [];

        private DateTimeOffset Today => new(now.UtcDateTime.Date, TimeSpan.Zero);

        public void Run()
        {
            while (_i < tokens.Count)
            {
                var start = _i;
                if (TryPatient() || TryDerived() || TryEvents() || TryNewest() || TryDuration() || TryDates() || TryStatus()
                    || TryModality() || TryDevice() || TryChannel())
                {
                    Understood.Add(string.Join(' ', tokens[start.._i]));
                    continue;
                }

                var word = tokens[_i++];
                if (!Filler.Contains(word))
                {
                    Unknown.Add(word);
                }
            }
        }

        private string? Peek(int offset = 0) => _i + offset >= 0 && _i + offset < tokens.Count ? tokens[_i + offset] : null;

        private bool Is(int offset, params string[] words) => Peek(offset) is { } t && words.Contains(t, StringComparer.Ordinal);

        private bool TryPatient()
        {
            if (!tokens[_i].StartsWith("psn_", StringComparison.Ordinal) || !PatientPseudonym.TryParse(tokens[_i], out var patient))
            {
                return false;
            }

            Search = Search with { Patient = patient };
            _i++;
            return true;
        }

        private bool TryModality()
        {
            if (!Modalities.TryGetValue(tokens[_i], out var modality))
            {
                return false;
            }

            Search = Search with { Modality = modality };
            _i++;
            return true;
        }

        private bool TryStatus()
        {
            // "still / currently recording", "being recorded", "in progress", "not finished"
            if ((Is(0, "still", "currently", "now") && Is(1, "recording", "running", "ongoing", "live")) || (Is(0, "being") && Is(1, "recorded")))
            {
                Search = Search with { Status = SessionStatus.Recording };
                _i += 2;
                return true;
            }

            if (Is(0, "in") && Is(1, "progress"))
            {
                Search = Search with { Status = SessionStatus.Recording };
                _i += 2;
                return true;
            }

            if (Is(0, "never") && Is(1, "finished", "completed", "complete", "ended"))
            {
                Search = Search with { Status = SessionStatus.Interrupted };
                _i += 2;
                return true;
            }

            if (Is(0, "cut") && Is(1, "short"))
            {
                Search = Search with { Status = SessionStatus.Interrupted };
                _i += 2;
                return true;
            }

            if (Statuses.TryGetValue(tokens[_i], out var status))
            {
                Search = Search with { Status = status };
                _i++;
                return true;
            }

            return false;
        }

        private bool TryDerived()
        {
            if (Is(0, "derived", "filtered", "processed") || (Is(0, "with", "including", "include", "plus") && Is(1, "derived", "filtered", "processed")))
            {
                _i += Is(0, "derived", "filtered", "processed") ? 1 : 2;
                if (Is(0, "copies", "copy", "versions", "ones"))
                {
                    _i++;
                }

                Search = Search with { IncludeDerived = true };
                return true;
            }

            return false;
        }

        private bool TryEvents()
        {
            // with(out) / no / having / containing / that have … events
            var negative = Is(0, "without", "no") || (Is(0, "with") && Is(1, "no"));
            var skip = Is(0, "with") && Is(1, "no") ? 2 : Is(0, "with", "without", "no", "having", "containing", "has", "have") ? 1 : 0;
            if (skip == 0 && !Is(0, EventWords))
            {
                return false;
            }

            var offset = skip;
            if (Is(offset, "any", "some"))
            {
                offset++;
            }

            if (!Is(offset, EventWords))
            {
                return false;
            }

            Search = Search with { HasEvents = !negative };
            _i += offset + 1;
            return true;
        }

        /// <summary>"the newest session", "latest 5", "last 3 recordings", "5 most recent", "most recent EEG".</summary>
        private bool TryNewest()
        {
            var offset = 0;
            int? count = null;
            if (Number(0) is { } leading && (Is(1, "newest", "latest") || (Is(1, "most") && Is(2, "recent"))))
            {
                count = leading;
                offset = 1;
            }

            if (!Is(offset, NewestWords))
            {
                return false;
            }

            var isMost = Is(offset, "most");
            if (isMost && !Is(offset + 1, "recent"))
            {
                return false;
            }

            var after = offset + (isMost ? 2 : 1);
            if (Is(offset, "recent") && offset == 0)
            {
                return false; // "recent" alone is not a count
            }

            if (count is null && Number(after) is { } trailing)
            {
                // "last 3 sessions" is a count; "last 3 days" is a date range (left to TryDates).
                if (UnitOf(Peek(after + 1)) is not null)
                {
                    return false;
                }

                count = trailing;
                after++;
            }

            if (Is(0, "last") && count is null && UnitOf(Peek(after)) is not null)
            {
                return false; // "last week"
            }

            // A singular noun after it ("the newest session / EEG / one") means one; a plural without a number means no limit.
            var plural = Peek(after) is "sessions" or "recordings" or "ones" or "records" or "studies" or "eegs" or "ecgs" or "emgs" or "ekgs"
                || (Modalities.ContainsKey(Peek(after) ?? string.Empty) && Peek(after + 1) is "sessions" or "recordings" or "records" or "studies");
            Search = Search with { Limit = count ?? (plural ? null : 1) };
            _i += after;
            return true;
        }

        private bool TryDuration()
        {
            // between N and M minutes
            if (Is(0, "between") && Amount(1) is { } low && Is(2, "and") && Amount(3) is { } high && DurationUnits.TryGetValue(Peek(4) ?? string.Empty, out var unit))
            {
                Search = Search with { LongerThanSeconds = (low * unit) - 1e-9, ShorterThanSeconds = (high * unit) + 1e-9 };
                _i += 5;
                return true;
            }

            var longer = Is(0, LongerWords);
            var shorter = Is(0, ShorterWords);
            if (!longer && !shorter)
            {
                return false;
            }

            var inclusive = Is(0, "least", "most", ">=", "<=");
            if (Is(0, "most") && !Is(-1, "at"))
            {
                return false; // "most recent" is TryNewest's
            }

            var offset = 1;
            if (Is(offset, "than", "or"))
            {
                offset++;
                if (Is(offset - 1, "or") && Is(offset, "equal"))
                {
                    offset += Is(offset + 1, "to") ? 2 : 1;
                    inclusive = true;
                }
            }

            if (Amount(offset) is not { } n)
            {
                return false;
            }

            var unitWord = Peek(offset + 1);
            if (unitWord is null || !DurationUnits.TryGetValue(unitWord, out var seconds))
            {
                return false;
            }

            var limit = n * seconds;
            Search = longer
                ? Search with { LongerThanSeconds = inclusive ? limit - 1e-9 : limit }
                : Search with { ShorterThanSeconds = inclusive ? limit + 1e-9 : limit };
            _i += offset + 2;
            if (Is(0, "long"))
            {
                _i++;
            }

            return true;
        }

        private bool TryDates()
        {
            // from X to/until Y, between X and Y
            if (Is(0, "from", "between") && DateAt(1) is { } first)
            {
                var (range, used) = first;
                if (Is(1 + used, "to", "until", "till", "through", "and", "-") && DateAt(2 + used) is { } second)
                {
                    Search = Search with { StartedFrom = range.From, StartedBefore = second.Range.Before };
                    _i += 2 + used + second.Used;
                    return true;
                }

                Search = Search with { StartedFrom = range.From, StartedBefore = range.Before };
                _i += 1 + used;
                return true;
            }

            if (Is(0, "since", "after", "before", "until", "till", "through", "on", "in", "during", "within", "from") && DateAt(1) is { } bounded)
            {
                var (range, used) = bounded;
                Search = tokens[_i] switch
                {
                    "since" => Search with { StartedFrom = range.From },
                    "after" => Search with { StartedFrom = range.Before },
                    "before" => Search with { StartedBefore = range.From },
                    "until" or "till" or "through" => Search with { StartedBefore = range.Before },
                    _ => Search with { StartedFrom = range.From, StartedBefore = range.Before },
                };
                _i += 1 + used;
                return true;
            }

            if (DateAt(0) is { } bare)
            {
                Search = Search with { StartedFrom = bare.Range.From, StartedBefore = bare.Range.Before };
                _i += bare.Used;
                return true;
            }

            return false;
        }

        /// <summary>A date or period at <paramref name="offset"/>: its [From, Before) and how many words it took.</summary>
        private ((DateTimeOffset? From, DateTimeOffset? Before) Range, int Used)? DateAt(int offset)
        {
            var word = Peek(offset);
            if (word is null)
            {
                return null;
            }

            var today = Today;
            switch (word)
            {
                case "today":
                    return ((today, today.AddDays(1)), 1);
                case "yesterday":
                    return ((today.AddDays(-1), today), 1);
                case "tonight" or "now":
                    return null;
            }

            if (Is(offset, "the") && Is(offset + 1, "past", "last") && Peek(offset + 2) is not null)
            {
                return DateAt(offset + 1) is { } inner ? (inner.Range, inner.Used + 1) : null;
            }

            // this / last / past week|month|year; past|last N hours|days|weeks|months
            if (Is(offset, "this", "last", "past", "previous", "current"))
            {
                if (UnitOf(Peek(offset + 1)) is { } single)
                {
                    return word is "past" ? ((Ago(1, single), null), 2) : (Period(single, word is "this" or "current" ? 0 : -1), 2);
                }

                if (Number(offset + 1) is { } n && UnitOf(Peek(offset + 2)) is { } unit)
                {
                    return ((Ago(n, unit), null), 3);
                }

                return null;
            }

            // N days / weeks ago
            if (Number(offset) is { } count && UnitOf(Peek(offset + 1)) is { } agoUnit && Is(offset + 2, "ago"))
            {
                var at = Ago(count, agoUnit);
                var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
                return agoUnit == Unit.Hour ? ((at, null), 3) : ((day, day.AddDays(1)), 3);
            }

            if (DateTime.TryParseExact(word, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var iso))
            {
                var day = new DateTimeOffset(iso, TimeSpan.Zero);
                return ((day, day.AddDays(1)), 1);
            }

            if (Weekdays.TryGetValue(word, out var weekday))
            {
                var back = ((int)today.DayOfWeek - (int)weekday + 7) % 7;
                var day = today.AddDays(-back);
                return ((day, day.AddDays(1)), 1);
            }

            // 1 March [2026] | 1st of March | March 1[st] [2026] | March [2026]
            if (DayNumber(word) is { } dayOfMonth)
            {
                var next = offset + 1;
                if (Is(next, "of"))
                {
                    next++;
                }

                if (Peek(next) is { } monthWord && Months.TryGetValue(monthWord, out var month))
                {
                    var (year, used) = YearAt(next + 1);
                    return Day(dayOfMonth, month, year, next + 1 + used - offset);
                }

                return null;
            }

            if (word.Length == 4 && int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var wholeYearOnly) && wholeYearOnly is >= 1950 and <= 2200)
            {
                var january = new DateTimeOffset(wholeYearOnly, 1, 1, 0, 0, 0, TimeSpan.Zero);
                return ((january, january.AddYears(1)), 1);
            }

            // "may" is a month only with a day or year beside it, or after a date preposition ("EEGs that may show…" is not).
            var mayIsMonth = word != "may" || DayNumber(Peek(offset + 1) ?? string.Empty) is not null || YearAt(offset + 1).Year is not null
                || Is(offset - 1, "in", "since", "before", "after", "until", "during", "from", "of", "through", "till");
            if (Months.TryGetValue(word, out var named) && mayIsMonth)
            {
                if (Peek(offset + 1) is { } next && DayNumber(next) is { } day)
                {
                    var (year, used) = YearAt(offset + 2);
                    return Day(day, named, year, 2 + used);
                }

                var (wholeYear, yearUsed) = YearAt(offset + 1);
                var y = wholeYear ?? (named <= today.Month ? today.Year : today.Year - 1);
                var first = new DateTimeOffset(y, named, 1, 0, 0, 0, TimeSpan.Zero);
                return ((first, first.AddMonths(1)), 1 + yearUsed);
            }

            return null;
        }

        private ((DateTimeOffset? From, DateTimeOffset? Before) Range, int Used)? Day(int day, int month, int? year, int used)
        {
            var today = Today;
            var y = year ?? today.Year;
            if (day > DateTime.DaysInMonth(y, month))
            {
                return null;
            }

            var date = new DateTimeOffset(y, month, day, 0, 0, 0, TimeSpan.Zero);
            if (year is null && date > today)
            {
                date = date.AddYears(-1); // "1 March" in February means the last one
            }

            return ((date, date.AddDays(1)), used);
        }

        private (int? Year, int Used) YearAt(int offset)
        {
            return Peek(offset) is { } w && w.Length == 4 && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1950 and <= 2200
                ? (year, 1)
                : (null, 0);
        }

        private static int? DayNumber(string word)
        {
            var digits = word.EndsWith("st", StringComparison.Ordinal) || word.EndsWith("nd", StringComparison.Ordinal) || word.EndsWith("rd", StringComparison.Ordinal) || word.EndsWith("th", StringComparison.Ordinal)
                ? word[..^2]
                : word;
            return digits.Length is 1 or 2 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 31 ? day : null;
        }

        private DateTimeOffset Ago(int n, Unit unit) => unit switch
        {
            Unit.Hour => now.AddHours(-n),
            Unit.Day => now.AddDays(-n),
            Unit.Week => now.AddDays(-7 * n),
            Unit.Month => now.AddMonths(-n),
            _ => now.AddYears(-n),
        };

        /// <summary>The calendar period containing today (<paramref name="shift"/> 0) or the one before (−1).</summary>
        private (DateTimeOffset? From, DateTimeOffset? Before) Period(Unit unit, int shift)
        {
            var today = Today;
            switch (unit)
            {
                case Unit.Hour:
                    var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(shift);
                    return (hour, hour.AddHours(1));
                case Unit.Day:
                    var day = today.AddDays(shift);
                    return (day, day.AddDays(1));
                case Unit.Week:
                    var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(7 * shift);
                    return (monday, monday.AddDays(7));
                case Unit.Month:
                    var month = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(shift);
                    return (month, month.AddMonths(1));
                default:
                    var year = new DateTimeOffset(today.Year + shift, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    return (year, year.AddYears(1));
            }
        }

        private bool TryDevice()
        {
            var offset = Is(0, "device", "amplifier", "on", "from", "using", "via") ? 1 : 0;
            if (offset == 1 && Is(1, "device", "amplifier"))
            {
                offset = 2;
            }

            if (Peek(offset) is not { } id || !DevicePattern().IsMatch(id) || !id.Any(char.IsDigit) || DateTime.TryParseExact(id, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return false;
            }

            Search = Search with { DeviceId = id };
            _i += offset + 1;
            return true;
        }

        private bool TryChannel()
        {
            if (!ChannelPattern().IsMatch(tokens[_i]))
            {
                return false;
            }

            Search = Search with { Channels = [.. Search.Channels, Canonical(tokens[_i])] };
            _i++;
            return true;
        }

        /// <summary>A number of duration units: decimals allowed ("1.5 hours").</summary>
        private double? Amount(int offset) =>
            Peek(offset) is { } word && word.Contains('.', StringComparison.Ordinal) && double.TryParse(word, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : Number(offset);

        private int? Number(int offset)
        {
            var word = Peek(offset);
            if (word is null)
            {
                return null;
            }

            if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100_000)
            {
                return n;
            }

            if (word is "a" or "an" && UnitOf(Peek(offset + 1)) is not null)
            {
                return 1;
            }

            return NumberWords.TryGetValue(word, out var named) ? named : null;
        }

        private static Unit? UnitOf(string? word) => word switch
        {
            "hour" or "hours" or "hr" or "hrs" => Unit.Hour,
            "day" or "days" => Unit.Day,
            "week" or "weeks" or "wk" or "wks" => Unit.Week,
            "month" or "months" => Unit.Month,
            "year" or "years" => Unit.Year,
            _ => null,
        };

        /// <summary>10–10 label casing: Fp1, AF3, FC5, Cz, O2.</summary>
        private static string Canonical(string label)
        {
            var digits = label.IndexOfAny(['z', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
            var prefix = label[..digits];
            var canonicalPrefix = prefix == "fp" ? "Fp" : prefix.ToUpperInvariant();
            return canonicalPrefix + label[digits..];
        }
    }
}
