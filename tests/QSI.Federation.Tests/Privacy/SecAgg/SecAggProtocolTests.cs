using QSI.Federation.Privacy.SecAgg;
using QSI.Federation.Strategies;

namespace QSI.Federation.Tests.Privacy.SecAgg;

/// <summary>The four rounds of secure aggregation, driven in process: the clients and the server as an honest (or not) network would move them.</summary>
public class SecAggProtocolTests
{
    private const int Round = 4;

    /// <summary>n clients with their updates and an honest server, stepped round by round; each step leaves out the clients named dropped.</summary>
    private sealed class Run
    {
        public Run(int clients, int? threshold = null, int length = 200)
        {
            Updates = SecureAggregationTests.Updates(clients, length, seed: 11);
            Clients = Updates.Select((u, k) => new SecAggClient(u.Id, 100 + k, Round)).ToDictionary(c => c.ClientId, StringComparer.Ordinal);
            Server = new SecAggServer(Clients.Keys, Round, threshold);
        }

        public (string Id, float[] Delta, int Samples)[] Updates { get; }
        public Dictionary<string, SecAggClient> Clients { get; }
        public SecAggServer Server { get; }
        public Dictionary<string, ulong[]> Masked { get; } = new(StringComparer.Ordinal);
        public IReadOnlyList<string>? Survivors { get; private set; }
        public IReadOnlyDictionary<string, byte[]>? Signatures { get; private set; }

        public Run Advertise(params string[] dropped)
        {
            foreach (var client in Live(dropped)) Assert.True(Server.AddKeys(client.ClientId, client.Keys));
            var roster = Server.RelayKeys()!;
            foreach (var client in Live(dropped).Where(c => roster.ContainsKey(c.ClientId)))
                Assert.True(Server.AddShares(client.ClientId, client.ShareKeys(Server.Threshold, roster)));
            return this;
        }

        public Run Mask(params string[] dropped)
        {
            var forwarded = Server.ForwardShares()!;
            foreach (var (to, envelopes) in forwarded.Where(f => !dropped.Contains(f.Key)))
            {
                var client = Clients[to];
                client.AcceptShares(envelopes);
                var update = Updates.Single(u => u.Id == to);
                Masked[to] = client.Mask(update.Delta, update.Samples);
            }
            return this;
        }

        public Run Sign(params string[] dropped)
        {
            Survivors = Server.ChooseSurvivors(Masked.Keys)!;
            foreach (var survivor in Survivors.Where(s => !dropped.Contains(s))) Assert.True(Server.AddSignature(survivor, Clients[survivor].SignSurvivors(Survivors)));
            Signatures = Server.ForwardSignatures();
            return this;
        }

        public Run Reveal(params string[] dropped)
        {
            foreach (var signer in Signatures!.Keys.Where(s => !dropped.Contains(s)))
                Assert.True(Server.AddReveal(signer, Clients[signer].Unmask(Survivors!, Signatures)));
            return this;
        }

        public float[] Mean() => Server.Mean(Masked, Updates.ToDictionary(u => u.Id, u => u.Samples));

        public float[] ClearMean(IEnumerable<string> of) =>
            Aggregation.WeightedMean([.. Updates.Where(u => of.Contains(u.Id)).Select(u => new ClientUpdate(u.Id, u.Delta, u.Samples))]);

        private IEnumerable<SecAggClient> Live(string[] dropped) => Clients.Values.Where(c => !dropped.Contains(c.ClientId));
    }

    private static void Close(float[] expected, float[] actual)
    {
        // Fixed point at 2^-24 per sample-weighted value: the sums differ by rounding only.
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 1e-7f);
    }

    [Fact]
    public void With_every_client_in_the_unmasked_sum_is_the_weighted_mean_of_the_updates()
    {
        var run = new Run(5).Advertise().Mask().Sign().Reveal();

        Assert.Equal(4, run.Server.Threshold);
        Close(run.ClearMean(run.Clients.Keys), run.Mean());
    }

    [Fact]
    public void Clients_that_drop_between_masking_and_unmasking_leave_a_sum_the_others_unmask()
    {
        // client-01 and client-03 uploaded their masked updates, then vanished: no signature, no shares.
        var run = new Run(7).Advertise().Mask().Sign("client-01").Reveal("client-03");

        Assert.Equal(5, run.Server.Threshold);
        Assert.Equal(7, run.Survivors!.Count);
        Assert.Equal(6, run.Signatures!.Count);
        Close(run.ClearMean(run.Clients.Keys), run.Mean());
    }

    [Fact]
    public void A_client_that_drops_after_sharing_has_its_masking_key_rebuilt_and_its_masks_removed()
    {
        // client-02 shared its secrets but never masked: the others masked against it.
        var run = new Run(7).Advertise().Mask("client-02").Sign().Reveal("client-05");

        Assert.DoesNotContain("client-02", run.Survivors!);
        Assert.Contains("client-02", run.Server.Maskers);
        Close(run.ClearMean(run.Survivors!), run.Mean());
    }

    [Fact]
    public void A_client_without_keys_is_left_out_of_the_roster_and_no_one_masks_against_it()
    {
        var run = new Run(5).Advertise("client-04").Mask().Sign().Reveal();

        Assert.Equal(3, run.Server.Threshold);
        Assert.Equal(["client-00", "client-01", "client-02", "client-03"], run.Server.Maskers.Order());
        Close(run.ClearMean(run.Survivors!), run.Mean());
    }

    [Fact]
    public void Fewer_than_t_reveals_leave_the_sum_masked_and_fewer_than_t_signatures_stop_the_round()
    {
        var reveals = new Run(6, threshold: 5).Advertise().Mask().Sign().Reveal("client-00", "client-01");
        Assert.False(reveals.Server.CanUnmask);
        Assert.Contains("fewer than the threshold of 5", Assert.Throws<ArgumentException>(reveals.Mean).Message);

        var signatures = new Run(6, threshold: 5).Advertise().Mask().Sign("client-00", "client-01");
        Assert.Null(signatures.Signatures);
        Assert.Contains("4 clients signed the survivor list, fewer than the threshold of 5", signatures.Server.Failure);
    }

    [Fact]
    public void A_server_that_asks_for_both_shares_of_one_client_is_refused()
    {
        // The curious server reveals client-00's update by learning both its b_u and its s_u^SK:
        // it asks for b's shares with client-00 among the survivors, then for s's with it left out.
        var run = new Run(5).Advertise().Mask().Sign();
        var first = run.Clients["client-01"].Unmask(run.Survivors!, run.Signatures!);
        Assert.Equal(ShareKind.SelfSeed, first.Single(s => s.Owner == "client-00").Kind);

        var without = run.Survivors!.Where(s => s != "client-00").ToArray();
        var again = Assert.Throws<InvalidOperationException>(() => run.Clients["client-01"].Unmask(without, run.Signatures!));
        Assert.Contains("cannot reveal shares now", again.Message);
        var other = Assert.Throws<InvalidOperationException>(() => run.Clients["client-02"].Unmask(without, run.Signatures!));
        Assert.Contains("other than the one it signed", other.Message);
        // Nor will a survivor sign a second list once it signed one.
        Assert.Throws<InvalidOperationException>(() => run.Clients["client-03"].SignSurvivors(without));
        Assert.Equal(64, run.Clients["client-03"].SignSurvivors(run.Survivors!).Length);
    }

    [Fact]
    public void A_server_that_sends_different_survivor_lists_to_different_clients_gets_no_shares()
    {
        // Five clients, t = 4. Clients 00-02 are told client-04 survived; 03-04 are told it did not.
        // With each group the server would ask for b_04's shares of one and s_04's of the other.
        var run = new Run(5).Advertise().Mask();
        var all = run.Masked.Keys.Order().ToArray();
        var without = all.Where(s => s != "client-04").ToArray();
        var withSignatures = all[..3].ToDictionary(c => c, c => run.Clients[c].SignSurvivors(all));
        var withoutSignatures = new[] { "client-03" }.ToDictionary(c => c, c => run.Clients[c].SignSurvivors(without));

        foreach (var c in all[..3])
            Assert.Contains("fewer than the threshold", Assert.Throws<InvalidOperationException>(() => run.Clients[c].Unmask(all, withSignatures)).Message);
        // Passing the other group's signatures off as over this list fails the check.
        var mixed = withSignatures.Concat(withoutSignatures).ToDictionary(p => p.Key, p => p.Value);
        Assert.Contains("does not check", Assert.Throws<InvalidOperationException>(() => run.Clients["client-00"].Unmask(all, mixed)).Message);
        Assert.Contains("does not check", Assert.Throws<InvalidOperationException>(() => run.Clients["client-03"].Unmask(without, mixed.Where(p => p.Key != "client-04").ToDictionary())).Message);
    }

    [Fact]
    public void Shares_cannot_be_read_redirected_or_changed_on_the_way_and_a_forged_list_or_reveal_is_refused()
    {
        var run = new Run(4);
        foreach (var client in run.Clients.Values) Assert.True(run.Server.AddKeys(client.ClientId, client.Keys));
        var roster = run.Server.RelayKeys()!;
        var envelopes = run.Clients.Values.ToDictionary(c => c.ClientId, c => c.ShareKeys(run.Server.Threshold, roster));
        var toOne = envelopes["client-00"].Single(e => e.To == "client-01");

        // Redirected: the server re-addresses client-00's envelope for client-01 to client-02.
        var redirected = Assert.Throws<InvalidOperationException>(() => run.Clients["client-02"].AcceptShares([toOne with { To = "client-02" }]));
        Assert.Contains("does not open", redirected.Message);
        // Changed: one bit of the ciphertext flipped.
        var flipped = (byte[])toOne.Sealed.Clone();
        flipped[20] ^= 1;
        Assert.Contains("does not open", Assert.Throws<InvalidOperationException>(() => run.Clients["client-01"].AcceptShares([toOne with { Sealed = flipped }])).Message);
        // Attributed to another sender.
        Assert.Contains("does not open", Assert.Throws<InvalidOperationException>(() => run.Clients["client-01"].AcceptShares([toOne with { From = "client-03" }])).Message);
        // The server itself refuses envelopes that do not go one to every other client.
        Assert.False(run.Server.AddShares("client-00", [.. envelopes["client-00"].Take(2)]));
        Assert.False(run.Server.AddShares("client-00", [.. envelopes["client-01"]]));
        Assert.All(envelopes, e => Assert.True(run.Server.AddShares(e.Key, e.Value)));
        // A roster without the client's own keys, or with a minority threshold, is refused.
        using var stranger = new SecAggClient("client-00", 1, Round);
        Assert.Contains("own keys", Assert.Throws<InvalidOperationException>(() => stranger.ShareKeys(3, roster)).Message);
        using var lonely = new SecAggClient("client-09", 1, Round);
        var withLonely = roster.Append(new KeyValuePair<string, AdvertisedKeys>("client-09", lonely.Keys)).ToDictionary();
        Assert.Contains("not more than half", Assert.Throws<InvalidOperationException>(() => lonely.ShareKeys(2, withLonely)).Message);
    }

    [Fact]
    public void The_server_takes_from_a_signer_only_one_share_of_each_client_of_the_kind_its_survival_calls_for()
    {
        var run = new Run(4).Advertise().Mask("client-03").Sign();
        var shares = run.Clients["client-00"].Unmask(run.Survivors!, run.Signatures!);
        Assert.Equal(ShareKind.MaskingKey, shares.Single(s => s.Owner == "client-03").Kind);

        Assert.False(run.Server.AddReveal("client-00", [.. shares.Select(s => s with { Kind = ShareKind.SelfSeed })]));
        Assert.False(run.Server.AddReveal("client-00", [.. shares.Skip(1)]));
        Assert.False(run.Server.AddSignature("client-01", new byte[64]));
        Assert.True(run.Server.AddReveal("client-00", shares));
        Assert.False(run.Server.AddReveal("client-00", shares));
    }
}
