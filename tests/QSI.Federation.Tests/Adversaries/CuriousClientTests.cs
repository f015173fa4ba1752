using QSI.Federation.Adversaries;
using QSI.Federation.Rounds;
using QSI.Federation.Tests.Rounds;
using Xunit.Abstractions;

namespace QSI.Federation.Tests.Adversaries;

public class CuriousClientTests(ITestOutputHelper output)
{
    private static FederationSettings Settings() => new()
    {
        Rounds = 3,
        MinAvailableClients = 3,
        Plan = new() { BatchSize = 16, LearningRate = 0.1 },
        Seed = 11,
    };

    [Fact]
    public void A_curious_client_looks_honest_to_the_federation_and_reports_its_estimate_of_the_global_model_every_round()
    {
        var honest = TestFederations.Create(Settings(), clients: 3);
        var curious = new Dictionary<string, CuriousClient>();
        var federation = TestFederations.Create(Settings(), clients: 3, join: (part, shape, options) =>
        {
            if (part.ClientId == "client-02") return new FederatedClient(part.ClientId, shape, part.Train, part.HeldOut, options);
            // client-00 keeps every round's measurements, client-01 only the last task's.
            var client = new CuriousClient(retention: part.ClientId == "client-00" ? 1 : 0);
            curious[part.ClientId] = client;
            return new FederatedClient(part.ClientId, shape, part.Train, part.HeldOut, options with { Conduct = client });
        });

        for (var round = 1; round <= 3; round++)
        {
            var expected = honest.RunRound();
            var record = federation.RunRound();

            // Observing changes nothing the server or the verifier can see: the same round, bit for bit.
            Assert.Equal(expected.TestAccuracy, record.TestAccuracy);
            Assert.Equal(expected.Fit.Select(c => c.ExcessNoise), record.Fit.Select(c => c.ExcessNoise));
            Assert.Equal(["client-00", "client-01", "client-02"], record.Aggregated);
            Assert.Empty(record.Flagged);

            // After the round the global model is the one the evaluate phase just served.
            foreach (var (id, client) in curious)
            {
                var layers = client.Against(federation.Training.Model);
                output.WriteLine($"round {round}, {id}: " + string.Join("; ", layers.Select(l =>
                    $"layer {l.Estimate.Layer} error {l.RelativeError:F3} ({l.BitsPerWeight:F3} bits per weight of {l.Estimate.BoundBitsPerWeight:F3} bound, {l.Estimate.ForwardCopies} copies)")));
                Assert.All(layers, l => Assert.InRange(l.RelativeError, 0, 0.95));
                Assert.All(layers, l => Assert.True(l.Margin > 0, $"FINDING: {id} learned {l.BitsPerWeight} bits per weight of layer {l.Estimate.Layer}, above {l.Estimate.BoundBitsPerWeight}"));
            }
            var evaluateSamples = federation.Clients.Single(c => c.Profile.ClientId == "client-01").Profile.EvaluationSamples;
            Assert.All(curious["client-01"].Estimates(), e => Assert.Equal(evaluateSamples, e.ForwardCopies));
            Assert.All(curious["client-00"].Estimates(), e => Assert.True(e.ForwardCopies > round * evaluateSamples));
        }
    }
}
