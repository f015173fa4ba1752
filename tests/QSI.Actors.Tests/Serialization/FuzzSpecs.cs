using System.Runtime.Serialization;
using FsCheck;
using FsCheck.Xunit;
using QSI.Actors.Serialization;

namespace QSI.Actors.Tests.Serialization;

/// <summary>
/// The serializer fed what a hostile peer could send: every sample message of every wire type,
/// spoiled by each <see cref="WireMutationKind"/>. Each payload must come back as a message of its
/// manifest's type or be refused with one line, and reading it may allocate only in proportion to
/// the bytes that arrived: a length field that claims 2 GB allocates nothing of the sort.
/// </summary>
[Properties(Replay = "473,1005", MaxTest = 12_000)]
public sealed class FuzzSpecs : SerializerSpec
{
    /// <summary>
    /// The most a read may allocate: a fixed allowance (the exception, an actor reference's resolution)
    /// plus a few times the payload (strings widen UTF-8 to UTF-16, arrays of references).
    /// </summary>
    private static long AllocationBound(int payloadBytes) => 64 * 1024 + 8L * payloadBytes;

    private readonly (string Manifest, byte[] Bytes)[] _samples;
    private readonly string[] _manifests = [.. WireCodecs.All.Select(c => c.Manifest)];

    public FuzzSpecs() => _samples = [.. WireSamples.All(TestActor).Select(Write)];

    [Property]
    public bool A_mutated_message_is_read_as_its_manifests_type_or_refused_in_one_line_within_bounded_allocation(
        NonNegativeInt sample, NonNegativeInt mutation, int seed)
    {
        var kinds = Enum.GetValues<WireMutationKind>();
        var (original, manifest) = (_samples[sample.Get % _samples.Length].Bytes, _samples[sample.Get % _samples.Length].Manifest);
        var (bytes, sent) = WireMutation.Apply(kinds[mutation.Get % kinds.Length], original, manifest, _manifests, seed);
        var before = GC.GetAllocatedBytesForCurrentThread();
        bool ok;
        try
        {
            var message = Read(bytes, sent);
            ok = WireCodecs.ByManifest[sent].Type.IsInstanceOfType(message);
        }
        catch (SerializationException e)
        {
            ok = !e.Message.Contains('\n') && !e.Message.Contains('\r') && e.Message.Length <= 400;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return ok && allocated <= AllocationBound(bytes.Length);
    }

    /// <summary>
    /// Every 32-bit window of every sample set to a claim, so each count and length field gets it:
    /// the systematic half of the fuzzing, which found that a client count of up to 100,000 let a
    /// 226-byte <c>train-masking-keys</c> allocate a megabyte.
    /// </summary>
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(0x7FFF_FFF0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(100_000)]
    [InlineData(65_535)]
    public void A_count_or_length_claiming_gigabytes_is_refused_without_allocating_it(int claim)
    {
        foreach (var (manifest, original) in _samples)
            for (var at = 0; at + 4 <= original.Length; at++)
            {
                var bytes = original.ToArray();
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), claim);
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    Read(bytes, manifest);
                }
                catch (SerializationException e)
                {
                    Assert.DoesNotContain('\n', e.Message);
                }
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated <= AllocationBound(bytes.Length),
                    $"{manifest} with {claim} at byte {at}: {allocated:N0} bytes allocated for a {bytes.Length}-byte payload");
            }
    }
}
