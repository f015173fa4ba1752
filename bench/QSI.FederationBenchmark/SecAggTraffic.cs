using System.Globalization;
using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Serialization;
using QSI.Federation.Privacy;
using QSI.Federation.Privacy.SecAgg;

namespace QSI.FederationBenchmark;

/// <summary>
/// The bytes one client sends for secure aggregation in a round: its four protocol messages as
/// the wire codecs write them, for a federation of the benchmark's size where every client
/// finishes, and its masked update against the update in the clear.
/// </summary>
internal static class SecAggTraffic
{
    public static void Print(IReadOnlyList<string> flags)
    {
        var clients = int.Parse(Flag(flags, "--clients") ?? "10", CultureInfo.InvariantCulture);
        int[] sizes = [784, .. (Flag(flags, "--hidden") ?? "784").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)), 10];
        var parameters = sizes.Zip(sizes.Skip(1)).Sum(p => p.First * p.Second + (flags.Contains("--bias") ? p.Second : 0));

        using var system = ActorSystem.Create("secagg-traffic", QsiSerialization.Config);
        var serialization = system.Serialization;
        long Bytes(object message) => serialization.FindSerializerFor(message).ToBinary(message).Length;

        var ids = Enumerable.Range(0, clients).Select(c => $"client-{c:D2}").ToArray();
        var secrets = ids.Select((id, k) => new SecAggClient(id, k, 1)).ToArray();
        var server = new SecAggServer(ids, 1);
        foreach (var s in secrets) server.AddKeys(s.ClientId, s.Keys);
        var roster = server.RelayKeys()!;
        var shares = secrets.ToDictionary(s => s.ClientId, s => s.ShareKeys(server.Threshold, roster));
        foreach (var (id, sealedShares) in shares) server.AddShares(id, sealedShares);
        var forwarded = server.ForwardShares()!;
        var delta = new float[parameters];
        var masked = secrets.ToDictionary(s => s.ClientId, s => { s.AcceptShares(forwarded[s.ClientId]); return s.Mask(delta, 100); });
        var survivors = server.ChooseSurvivors(ids)!;
        foreach (var s in secrets) server.AddSignature(s.ClientId, s.SignSurvivors(survivors));
        var signatures = server.ForwardSignatures()!;

        var me = secrets[0];
        var keys = Bytes(new Training.MaskingKey(0, me.ClientId, me.Keys));
        var envelopes = Bytes(new Training.KeyShares(0, me.ClientId, shares[me.ClientId]));
        var signature = Bytes(new Training.SurvivorsSigned(0, me.ClientId, me.SignSurvivors(survivors)));
        var reveal = Bytes(new Training.MasksRevealed(0, me.ClientId, me.Unmask(survivors, signatures)));
        var protocol = keys + envelopes + signature + reveal;
        var maskedUpdate = MaskedSum.Encode(masked[me.ClientId]).Length;
        var clearUpdate = QSI.Federation.Models.ModelParameters.Encode(delta).Length;
        foreach (var s in secrets) s.Dispose();

        Console.WriteLine();
        Console.WriteLine($"Bytes one client sends per round, {clients} clients, threshold {server.Threshold}, {parameters:N0} parameters:");
        Console.WriteLine();
        Console.WriteLine("| message | bytes |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| keys (round 0) | {keys:N0} |");
        Console.WriteLine($"| sealed shares for {clients - 1} peers (round 1) | {envelopes:N0} |");
        Console.WriteLine($"| signature over the survivors (round 3) | {signature:N0} |");
        Console.WriteLine($"| shares revealed (round 4) | {reveal:N0} |");
        Console.WriteLine($"| protocol, all four | **{protocol:N0}** |");
        Console.WriteLine($"| masked update (8 bytes a parameter) | {maskedUpdate:N0} |");
        Console.WriteLine($"| update in the clear (4 bytes a parameter) | {clearUpdate:N0} |");
    }

    private static string? Flag(IReadOnlyList<string> flags, string name)
    {
        var k = flags.ToList().IndexOf(name);
        return k >= 0 && k + 1 < flags.Count ? flags[k + 1] : null;
    }
}
