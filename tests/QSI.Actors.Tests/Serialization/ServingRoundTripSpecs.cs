using QSI.Actors.Messages;

namespace QSI.Actors.Tests.Serialization;

public class ServingRoundTripSpecs : SerializerSpec
{
    [Fact]
    public void Every_sample_message_survives_a_trip_through_bytes_unchanged()
    {
        foreach (var message in WireSamples.All(TestActor))
        {
            var (manifest, bytes) = Write(message);
            var back = Read(bytes, manifest);
            Assert.Equal(message.GetType(), back.GetType());
            // Lists compare by reference in records, so compare what the wire sees.
            Assert.Equal(bytes, Write(back).Bytes);
        }
    }

    [Fact]
    public void A_long_reason_is_cut_rather_than_failing_the_message()
    {
        var refused = new Serving.Refused(1, new string('x', 5000));
        var back = (Serving.Refused)RoundTrip(refused);
        Assert.True(back.Reason.Length < 300 && back.Reason.EndsWith('…'));
    }

    [Fact]
    public void A_verdict_with_a_non_finite_estimate_is_refused_on_reading()
    {
        var (manifest, bytes) = Write(new Verification.Verdict(1, 2, true, 1, 1));
        BitConverter.GetBytes(double.NaN).CopyTo(bytes, bytes.Length - 8);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Read(bytes, manifest));
    }
}
