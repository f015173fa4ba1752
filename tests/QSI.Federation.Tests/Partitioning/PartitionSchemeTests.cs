using QSI.Federation.Partitioning;

namespace QSI.Federation.Tests.Partitioning;

public class PartitionSchemeTests
{
    private static readonly byte[] Labels = Enumerable.Range(0, 3000).Select(i => (byte)(i % 10)).ToArray();

    [Theory]
    [InlineData("iid")]
    [InlineData("dirichlet:0.5")]
    [InlineData("shards:2")]
    public void Every_sample_goes_to_exactly_one_client_and_the_same_seed_splits_alike(string scheme)
    {
        var parts = PartitionScheme.Parse(scheme).Split(Labels, 10, seed: 3);

        Assert.Equal(10, parts.Length);
        Assert.Equal(Enumerable.Range(0, Labels.Length), parts.SelectMany(p => p).Order());
        Assert.All(parts, p => Assert.Equal(p.Order(), p));
        Assert.Equal(parts, PartitionScheme.Parse(scheme).Split(Labels, 10, seed: 3));
        Assert.NotEqual(parts, PartitionScheme.Parse(scheme).Split(Labels, 10, seed: 4));
    }

    [Fact]
    public void Many_small_dirichlet_clients_are_topped_up_to_the_minimum_deterministically()
    {
        // 6,000 samples among 1,000 clients: 6 each on average, far below what Dirichlet(0.5) gives every client.
        var labels = Enumerable.Range(0, 6000).Select(i => (byte)(i * 7 % 10)).ToArray();
        var scheme = new PartitionScheme(PartitionKind.Dirichlet, 0.5);

        var parts = scheme.Split(labels, 1000, seed: 0);

        Assert.Equal(1000, parts.Length);
        Assert.Equal(Enumerable.Range(0, labels.Length), parts.SelectMany(p => p).Order());
        Assert.All(parts, p => Assert.Equal(6, p.Length));
        Assert.All(parts, p => Assert.Equal(p.Order(), p));
        Assert.Equal(parts, scheme.Split(labels, 1000, seed: 0));
    }

    [Fact]
    public void A_dirichlet_draw_that_meets_the_minimum_is_kept_as_drawn()
    {
        // The split of ten clients is the one every earlier run drew (its digest, recorded before the top-up existed).
        var labels = Enumerable.Range(0, 60000).Select(i => (byte)(i * 7 % 10)).ToArray();
        var parts = new PartitionScheme(PartitionKind.Dirichlet, 0.5).Split(labels, 10, seed: 0);
        Assert.Equal(DirichletTenDigest, Digest(parts));
    }

    private const string DirichletTenDigest = "23D4859C3B23B522";

    private static string Digest(int[][] parts) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        parts.SelectMany(p => BitConverter.GetBytes(p.Length).Concat(p.SelectMany(BitConverter.GetBytes))).ToArray()))[..16];

    [Fact]
    public void Iid_parts_are_of_equal_size_and_see_every_label()
    {
        var parts = new PartitionScheme(PartitionKind.Iid).Split(Labels, 7, seed: 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 3000 / 7, 3000 / 7 + 1));
        Assert.All(parts, p => Assert.Equal(10, p.Select(i => Labels[i]).Distinct().Count()));
    }

    [Fact]
    public void A_smaller_dirichlet_concentration_skews_the_clients_labels_more()
    {
        double DominantShare(double alpha) => new PartitionScheme(PartitionKind.Dirichlet, alpha).Split(Labels, 10, seed: 2)
            .Average(p => p.GroupBy(i => Labels[i]).Max(g => g.Count()) / (double)p.Length);

        // Uniform labels give a dominant share near 0.1; alpha = 0.1 gives one label most of a client's data.
        Assert.InRange(DominantShare(1000), 0.1, 0.16);
        Assert.InRange(DominantShare(0.1), 0.5, 1.0);
    }

    [Fact]
    public void Label_shards_give_each_client_about_as_many_labels_as_shards()
    {
        var parts = new PartitionScheme(PartitionKind.Shards, ShardsPerClient: 2).Split(Labels, 10, seed: 5);
        Assert.All(parts, p => Assert.InRange(p.Select(i => Labels[i]).Distinct().Count(), 1, 3));
        Assert.All(parts, p => Assert.Equal(300, p.Length));
    }

    [Theory]
    [InlineData("iid", "iid")]
    [InlineData("dirichlet", "dirichlet:0.5")]
    [InlineData("Dirichlet:0.1", "dirichlet:0.1")]
    [InlineData("shards", "shards:2")]
    [InlineData("shards:3", "shards:3")]
    public void Schemes_read_as_the_command_line_spells_them(string text, string canonical) =>
        Assert.Equal(canonical, PartitionScheme.Parse(text).ToString());

    [Theory]
    [InlineData("random", "is not a partitioning")]
    [InlineData("dirichlet:0", "positive number")]
    [InlineData("dirichlet:x", "is not a number")]
    [InlineData("shards:1.5", "whole number")]
    [InlineData("iid:2", "is not a partitioning")]
    public void A_bad_scheme_is_refused_with_what_to_write(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => PartitionScheme.Parse(text)).Message);

    [Fact]
    public void Client_data_is_split_into_training_and_held_out_samples_and_one_client_computes_its_own_part_alike()
    {
        var images = Inference.SmallClassifier.Images(500, seed: 1);
        var all = ClientData.Split(images, 4, new PartitionScheme(PartitionKind.Dirichlet), holdout: 0.2, seed: 9);

        Assert.Equal(["client-00", "client-01", "client-02", "client-03"], all.Select(c => c.ClientId));
        Assert.Equal(500, all.Sum(c => c.Train.Count + c.HeldOut.Count));
        Assert.All(all, c => Assert.InRange(c.HeldOut.Count, (int)(0.2 * (c.Train.Count + c.HeldOut.Count)) - 1, (int)(0.2 * (c.Train.Count + c.HeldOut.Count)) + 1));
        var third = ClientData.One(images, 2, 4, new PartitionScheme(PartitionKind.Dirichlet), holdout: 0.2, seed: 9);
        Assert.Equal(all[2].Train.Pixels.ToArray(), third.Train.Pixels.ToArray());
        Assert.Equal(all[2].HeldOut.Labels.ToArray(), third.HeldOut.Labels.ToArray());
        Assert.Equal(("client-07", "client-007"), (ClientData.IdOf(7, 100), ClientData.IdOf(7, 101)));
    }
}
