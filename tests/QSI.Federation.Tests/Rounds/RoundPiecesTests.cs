using QSI.Federation.Models;
using QSI.Federation.Rounds;

namespace QSI.Federation.Tests.Rounds;

public class RoundPiecesTests
{
    private static readonly string[] Ten = Enumerable.Range(0, 10).Select(k => $"client-{k:D2}").ToArray();

    [Fact]
    public void Sampling_takes_a_fraction_of_the_clients_at_least_the_minimum_sorted_and_the_same_in_every_process()
    {
        var half = ClientSampler.Sample(Ten, 0.5, 2, seed: 1, round: 3, TaskKind.Fit);
        Assert.Equal(5, half.Count);
        Assert.Equal(half.Order(StringComparer.Ordinal), half);
        Assert.Equal(half, ClientSampler.Sample(Ten.Reverse(), 0.5, 2, seed: 1, round: 3, TaskKind.Fit));
        Assert.Equal(3, ClientSampler.Sample(Ten, 0.1, 3, 1, 3, TaskKind.Fit).Count);
        Assert.Equal(Ten, ClientSampler.Sample(Ten, 1.0, 2, 1, 3, TaskKind.Fit));
        Assert.Empty(ClientSampler.Sample(Ten, 0, 2, 1, 3, TaskKind.Evaluate));
        var rounds = Enumerable.Range(1, 20).Select(r => string.Join(',', ClientSampler.Sample(Ten, 0.3, 1, 1, r, TaskKind.Fit))).Distinct().Count();
        Assert.True(rounds > 10, $"only {rounds} distinct samples in 20 rounds");
    }

    [Fact]
    public void Run_streams_depend_on_their_purpose_and_place_only()
    {
        Assert.Equal(RunSeeds.For(5, RunSeeds.Purpose.Shuffle, 3, 7), RunSeeds.For(5, RunSeeds.Purpose.Shuffle, 3, 7));
        var seeds = new[]
        {
            RunSeeds.For(5, RunSeeds.Purpose.Shuffle, 3, 7), RunSeeds.For(5, RunSeeds.Purpose.Shuffle, 7, 3), RunSeeds.For(5, RunSeeds.Purpose.Device, 3, 7),
            RunSeeds.For(6, RunSeeds.Purpose.Shuffle, 3, 7), RunSeeds.For(5, RunSeeds.Purpose.Shuffle, 3),
        };
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        // FNV-1a of "a", as every process computes it.
        Assert.Equal(unchecked((long)0xaf63dc4c8601ec8cUL), RunSeeds.StableHash("a"));
    }

    [Fact]
    public void Parameters_cross_the_wire_exactly_and_a_damaged_payload_is_refused_in_one_line()
    {
        var values = new[] { 0f, -1.5f, float.Epsilon, 3.25e7f };
        var bytes = ModelParameters.Encode(values);
        Assert.Equal(values, ModelParameters.Decode(bytes, values.Length));
        Assert.Contains("3 values", Assert.Throws<FormatException>(() => ModelParameters.Decode(ModelParameters.Encode(values[..3]), 4)).Message);
        Assert.Contains("bad magic", Assert.Throws<FormatException>(() => ModelParameters.Decode(new byte[20], 2)).Message);
        Assert.Contains("bytes", Assert.Throws<FormatException>(() => ModelParameters.Decode(bytes[..^1], 4)).Message);
        var nan = ModelParameters.Encode([1f, float.NaN]);
        Assert.Contains("not a finite number", Assert.Throws<FormatException>(() => ModelParameters.Decode(nan, 2)).Message);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_with_its_path()
    {
        using var folder = new Data.TempDirectory();
        File.WriteAllBytes(folder.File("bad.zip"), [1, 2, 3]);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(folder.File("bad.zip")));
        Assert.StartsWith($"checkpoint {folder.File("bad.zip")}:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("not found", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(folder.File("none.zip"))).Message);
    }
}
