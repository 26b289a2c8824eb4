using NeuraScale.Domain;
using NeuraScale.Processing.Clinical.Protocols;

namespace NeuraScale.Tests.Unit;

/// <summary>Protocols as data: the built-in ones are valid and follow clinical practice; a definition with a typo or a broken rule is refused, every problem named.</summary>
public sealed class ProtocolDefinitionTests
{
    private readonly ProtocolCatalog _catalog = new();

    [Fact]
    public void TheRoutineEeg_FollowsClinicalPractice()
    {
        var routine = _catalog.Get("routine-eeg");

        Assert.Equal(["eyes-closed", "eyes-open", "hyperventilation", "post-hv-recovery", "photic", "final-rest"], routine.Steps.Select(s => s.Id));
        Assert.Equal(10, routine.Impedance!.MaxKiloohms); // ACNS: at most 10 kΩ
        Assert.InRange(routine.TotalSeconds, 20 * 60 - 30, 25 * 60); // at least 20 minutes of recording
        Assert.Equal(180, routine.Steps.Single(s => s.Id == "hyperventilation").DurationSeconds); // three minutes of HV
        Assert.True(routine.Steps.Single(s => s.Id == "post-hv-recovery").DurationSeconds >= 60);
        var photic = routine.Steps.Single(s => s.Id == "photic").Photic!;
        Assert.Equal([1.0, 2, 8, 10, 15, 18, 20, 25, 40, 50, 60], photic.FrequenciesHz); // the standardised IPS frequencies
        Assert.Equal("clinical_care", routine.ConsentPurpose);
        Assert.All(routine.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Instructions)));
        Assert.Equal("research", _catalog.Get("resting-state").ConsentPurpose);
        Assert.All(_catalog.List(), p => Assert.Empty(ProtocolValidator.Problems(p)));
    }

    [Fact]
    public void ADefinitionWithATypoOrBrokenRules_IsRefused_NamingEveryProblem()
    {
        var typo = Assert.Throws<InvalidRequestException>(() => ProtocolCatalog.Parse("""{"id":"x-test","version":1,"name":"n","modality":"EEG","purpose":"p","consent_purpose":"research","steps":[],"step_count":3}"""));
        Assert.Contains("step_count", typo.Message, StringComparison.Ordinal);

        var broken = Assert.Throws<InvalidRequestException>(() => ProtocolCatalog.Parse("""
            {"id":"Bad Id","version":1,"name":"n","modality":"MEG","purpose":"p","consent_purpose":"marketing",
             "impedance":{"max_kiloohms":500},
             "steps":[
               {"id":"rest","name":"Rest","duration_seconds":2,"instructions":"Relax.","start_marker":"",
                "checks":[{"kind":"eeg_magic","after_seconds":0,"window_seconds":10,"min_score":50}]},
               {"id":"rest","name":"Photic","duration_seconds":20,"instructions":"Look.","start_marker":"Photic",
                "photic":{"frequencies_hz":[1,2,3],"train_seconds":5,"rest_seconds":5},
                "checks":[{"kind":"signal_quality","after_seconds":15,"window_seconds":10,"min_score":150}]}
             ]}
            """));
        foreach (var expected in new[]
        {
            "id 'Bad Id'", "modality 'MEG'", "consent_purpose 'marketing'", "impedance.max_kiloohms", "steps[0].duration_seconds must be 5–3600",
            "steps[0].start_marker", "steps[0].checks[0].kind 'eeg_magic'", "steps[1].id 'rest' is used by an earlier step",
            "3 trains of 5 s with 5 s rest take 30 s, longer than duration_seconds 20", "steps[1].checks[0]: after_seconds 15 + window_seconds 10", "min_score must be 0–100",
        })
        {
            Assert.Contains(expected, broken.Message, StringComparison.Ordinal);
        }

        Assert.Contains("there are: resting-state, routine-eeg", Assert.Throws<InvalidRequestException>(() => _catalog.Get("routine")).Message, StringComparison.Ordinal);
    }
}
