using QSI.Federation.Inference;
using QSI.Federation.Serving;
using QSI.Federation.Tests.Inference;
using QSI.Protocol.Client;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Federation.Tests.Serving;

public class ServingTests
{
    private static readonly Lazy<QSI.Federation.Models.Mlp> Model = new(() => SmallClassifier.Train(bias: false));

    [Fact]
    public void A_client_served_through_issued_frames_is_checked_query_by_query_and_recorded()
    {
        var issuer = new FrameIssuer(Model.Value, photons: 4);
        var ledger = new VerifierLedger(new VerifierOptions { Gain = 2, FalseAlarmRate = 0.05 }, NoiseSource.Seeded(1));
        var images = SmallClassifier.Images(200, seed: 5);
        var issued = issuer.Issue("client-a", images.Count);
        ledger.Expect(issued.RequestId, "client-a", issued.Queries, issued.Layers.Select(l => l.Reference).ToArray());

        var device = new ClientDevice(2);
        var noise = NoiseSource.Seeded(2);
        var correct = 0;
        for (var k = 0; k < images.Count; k++)
        {
            var input = new float[images.PixelsPerImage];
            images.CopyNormalizedInput(k, input);
            var query = SecureQuery.Run(issued.Layers.Select(l => l.Light).ToArray(), device, input, noise);
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(query.Outputs) == images.Labels.Span[k]) correct++;
            ledger.Check(issued.RequestId, "client-a", k, query.Residuals);
        }
        issuer.Finish(issued.RequestId, "client-a");
        ledger.Finish(issued.RequestId);

        var record = ledger.Record("client-a");
        Assert.Equal(200, record.Checks);
        Assert.InRange(record.Accepted, 180, 200);
        Assert.True(ledger.Pooled("client-a")!.Value.Accepted);
        Assert.True(correct > 170, $"{correct} of 200 classified correctly");
        Assert.Equal(0, issuer.Outstanding);
    }

    [Fact]
    public void Requests_that_break_the_protocol_are_refused_with_a_reason()
    {
        var issuer = new FrameIssuer(Model.Value, photons: 4, maxQueriesPerRequest: 10);
        Assert.Contains("1 to 10", Assert.Throws<ProtocolViolation>(() => issuer.Issue("c", 11)).Message);
        var issued = issuer.Issue("c", 2);
        Assert.Contains("belongs to client c", Assert.Throws<ProtocolViolation>(() => issuer.Finish(issued.RequestId, "d")).Message);
        issuer.Finish(issued.RequestId, "c");
        Assert.Contains("unknown or already finished", Assert.Throws<ProtocolViolation>(() => issuer.Finish(issued.RequestId, "c")).Message);

        var ledger = new VerifierLedger(new VerifierOptions(), NoiseSource.Seeded(1));
        var second = issuer.Issue("c", 2);
        ledger.Expect(second.RequestId, "c", 2, second.Layers.Select(l => l.Reference).ToArray());
        var input = new float[issuer.InputSize];
        var query = SecureQuery.Run(second.Layers.Select(l => l.Light).ToArray(), new ClientDevice(2), input, NoiseSource.Seeded(3));

        Assert.Contains("unknown or finished", Assert.Throws<ProtocolViolation>(() => ledger.Check(999, "c", 0, query.Residuals)).Message);
        Assert.Contains("not d", Assert.Throws<ProtocolViolation>(() => ledger.Check(second.RequestId, "d", 0, query.Residuals)).Message);
        Assert.Contains("outside", Assert.Throws<ProtocolViolation>(() => ledger.Check(second.RequestId, "c", 2, query.Residuals)).Message);
        Assert.Contains("returned light of 1 frames; 2 were issued", Assert.Throws<ProtocolViolation>(() => ledger.Check(second.RequestId, "c", 0, [query.Residuals[0]])).Message);
        ledger.Check(second.RequestId, "c", 0, query.Residuals);
        Assert.Contains("already checked", Assert.Throws<ProtocolViolation>(() => ledger.Check(second.RequestId, "c", 0, query.Residuals)).Message);

        ledger.Forget("c");
        Assert.False(ledger.Expects(second.RequestId));
        Assert.Equal([second.RequestId], issuer.Forget("c"));
    }
}
