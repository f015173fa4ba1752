using QSI.Protocol.Encoding;

namespace QSI.Protocol.Tests;

public class FrameEncodingTests
{
    private static readonly float[] Weights = Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i + 1)).ToArray();

    [Fact]
    public void Frames_issued_from_one_encoding_have_their_own_identities_and_copies_and_refuse_a_copy_measured_twice()
    {
        var encoding = WeightEncoder.Prepare(Weights, rows: 3, columns: 4, photons: 2);
        var first = encoding.Issue(copies: 2);
        var second = encoding.Issue(copies: 3);

        Assert.NotEqual(first.Light.Id, second.Light.Id);
        Assert.Equal(first.Light.Id, first.Reference.Id);
        Assert.Equal(second.Light.Id, second.Reference.Id);

        first.Light.TakeCopies(2);
        Assert.Throws<FrameConsumedException>(() => first.Light.TakeCopies(1));
        Assert.Equal(0, first.Light.CopiesRemaining);
        // The other client's frame is untouched by the first one's measurements.
        Assert.Equal(3, second.Light.CopiesRemaining);
        second.Light.TakeCopies(3);
        Assert.Throws<FrameConsumedException>(() => second.Light.TakeCopies(1));
        Assert.Throws<FrameConsumedException>(() => second.Light.TakeAllCopies());
    }

    [Fact]
    public void A_frame_issued_from_a_shared_encoding_is_the_frame_encoded_alone()
    {
        var alone = WeightEncoder.Encode(Weights, 3, 4, photons: 2, copies: 5);
        var shared = WeightEncoder.Prepare(Weights, 3, 4, photons: 2).Issue(5);

        Assert.Equal(alone.Light.Scale, shared.Light.Scale);
        Assert.Equal(alone.Reference.TotalPhotons, shared.Reference.TotalPhotons);
        Assert.Equal(Enumerable.Range(0, 3).Select(alone.Reference.RowPhotons), Enumerable.Range(0, 3).Select(shared.Reference.RowPhotons));
        Assert.Equal(alone.Reference.PackedWeights.ToArray(), shared.Reference.PackedWeights.ToArray());
        Assert.Equal(5, shared.Light.CopiesRemaining);
    }
}
