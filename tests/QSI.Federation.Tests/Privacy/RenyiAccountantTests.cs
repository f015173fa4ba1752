using QSI.Federation.Privacy;

namespace QSI.Federation.Tests.Privacy;

/// <summary>
/// The accountant against the values TF Privacy publishes in its own tests (github.com/tensorflow/privacy,
/// tensorflow_privacy/privacy/analysis/rdp_accountant_test.py and compute_dp_sgd_privacy_test.py, at
/// commit 943ef91 of 2022, whose compute_dp_sgd_privacy uses the improved conversion of Balle et al.
/// 2020; the classic-conversion values are those the same test held before commit be8175b, 2020-12-30).
/// </summary>
public class RenyiAccountantTests
{
    // compute_dp_sgd_privacy's orders.
    private static readonly double[] TfOrders =
        [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, .. Enumerable.Range(5, 59).Select(x => (double)x), 128, 256, 512];

    private static RenyiAccountant DpSgd(int n, int batch, double noise, double epochs)
    {
        var accountant = new RenyiAccountant(TfOrders);
        accountant.Compose(batch / (double)n, noise, (int)Math.Ceiling(epochs * n / batch));
        return accountant;
    }

    [Fact]
    public void The_rdp_of_one_order_and_of_a_sequence_of_orders_match_tf_privacy()
    {
        // test_compute_rdp_scalar: compute_rdp(0.1, 2, 10, 5) = 0.07737 to 5 places.
        Assert.Equal(0.07737, 10 * RenyiAccountant.Of(0.1, 2, 5), 5e-6);
        // test_compute_rdp_sequence: q = 0.01, sigma = 2.5, 50 steps, to within 1e-5 (fractional orders 1.5 and 2.5 take the erfc series).
        double[] orders = [1.5, 2.5, 5, 50, 100];
        double[] expected = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307];
        for (var k = 0; k < orders.Length; k++) Assert.Equal(expected[k], 50 * RenyiAccountant.Of(0.01, 2.5, orders[k]), 1e-5);
        // test_compute_rdp_no_sampling: q = 1 is the plain Gaussian, alpha / (2 sigma^2).
        Assert.Equal(0.1, RenyiAccountant.Of(1, 10, 20), 1e-15);
        Assert.Equal(0, RenyiAccountant.Of(0, 10, 20));
    }

    [Fact]
    public void Constant_rdp_converts_to_tf_privacys_epsilon_at_the_largest_order()
    {
        // test_get_privacy_spent_check_target_delta: orders 2..32, rdp 1.1 everywhere, delta 1e-5.
        double[] orders = [.. Enumerable.Range(2, 31).Select(x => (double)x)];
        var (epsilon, order) = RenyiAccountant.Epsilon(orders, [.. orders.Select(_ => 1.1)], 1e-5);
        Assert.Equal(32, order);
        Assert.Equal(1.32783806176, epsilon, 1e-9);
    }

    [Theory]
    // (n, batch, noise, epochs, delta) -> epsilon and order, assertAlmostEqual (7 places) there; 1e-6 here.
    [InlineData(60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19.0)]
    [InlineData(100000, 100, 1.0, 30, 1e-7, 1.4154988495444845, 13.0)]
    public void Dp_sgd_examples_give_tf_privacys_epsilon_with_the_improved_conversion(int n, int batch, double noise, double epochs, double delta, double epsilon, double order)
    {
        var spent = DpSgd(n, batch, noise, epochs).Spent(delta);
        Assert.Equal(epsilon, spent.Epsilon, 1e-6);
        Assert.Equal(order, spent.Order);
    }

    [Theory]
    [InlineData(60000, 150, 1.3, 15, 1e-5, 0.941870567)]
    [InlineData(100000, 100, 1.0, 30, 1e-7, 1.70928734)]
    public void Dp_sgd_examples_give_tf_privacys_earlier_epsilon_with_the_classic_conversion(int n, int batch, double noise, double epochs, double delta, double epsilon)
    {
        var accountant = DpSgd(n, batch, noise, epochs);
        Assert.Equal(epsilon, RenyiAccountant.ClassicEpsilon(accountant.Orders, accountant.Rdp, delta).Epsilon, 1e-6);
    }

    [Theory]
    // The MNIST tutorial's budget: "compute_dp_sgd_privacy.py --N=60000 --batch_size=256 --noise_multiplier=1.1
    // --epochs=60 --delta=1e-5 ... satisfies differential privacy with eps = 3.01" (tutorials/README.md), and the
    // script's docstring, noise 1.12: "(2.92, 1e-5)-DP". Both printed to 3 significant digits with the classic
    // conversion of their time, so within 0.005; the improved conversion only lowers them.
    [InlineData(1.1, 3.01)]
    [InlineData(1.12, 2.92)]
    public void The_mnist_tutorial_budget_is_tf_privacys_printed_epsilon(double noise, double printed)
    {
        var accountant = DpSgd(60000, 256, noise, 60);
        Assert.Equal(printed, RenyiAccountant.ClassicEpsilon(accountant.Orders, accountant.Rdp, 1e-5).Epsilon, 0.005);
        Assert.InRange(accountant.Spent(1e-5).Epsilon, 0, printed);
    }

    [Fact]
    public void Epsilon_after_a_round_is_what_composing_it_gives_and_composition_adds_up()
    {
        var accountant = new RenyiAccountant();
        accountant.Compose(0.3, 1.2, steps: 4);
        var ahead = accountant.EpsilonAfter(0.3, 1.2, 1e-5);
        var once = new RenyiAccountant();
        for (var r = 0; r < 5; r++) once.Compose(0.3, 1.2);
        accountant.Compose(0.3, 1.2);
        Assert.Equal(accountant.Spent(1e-5).Epsilon, ahead, 1e-12);
        Assert.Equal(once.Spent(1e-5).Epsilon, ahead, 1e-9);
        Assert.True(ahead > new RenyiAccountant().EpsilonAfter(0.3, 1.2, 1e-5));
    }
}
