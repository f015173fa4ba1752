namespace QSI.Node.Tests;

public sealed class LeakageCommandTests
{
    // Reference values of PROTOCOL.md section 4 (G = 2, mu = 4, n' = 392).
    [Fact]
    public void Json_output_has_the_protocol_reference_values()
    {
        var run = Qsi.Run("leakage", "--gain", "2", "--photons", "4", "--modes", "392", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var json = run.Json;
        Assert.Equal(0.08738, json.GetProperty("weightBitsPerMode").GetDouble(), 5);
        Assert.Equal(0.04369, json.GetProperty("weightBitsPerWeight").GetDouble(), 5);
        Assert.Equal(0.007286, json.GetProperty("dataBits").GetDouble(), 6);
        Assert.Equal(0.5, json.GetProperty("kappa").GetDouble(), 12);
        Assert.Equal(4.0, json.GetProperty("f").GetDouble(), 12);
    }

    [Fact]
    public void Weight_bits_per_weight_are_half_the_bits_per_mode()
    {
        var json = Qsi.Run("leakage", "--gain", "3", "--photons", "10", "--modes", "100", "--transmission", "0.9", "--json").Json;

        Assert.Equal(json.GetProperty("weightBitsPerMode").GetDouble() / 2, json.GetProperty("weightBitsPerWeight").GetDouble(), 12);
    }

    // 1/2 log2(1 + 4 (M/n') (G-1)^2 / (G(3G-2))) with G = 2 and M = 2 n' is 1/2 log2(2).
    [Fact]
    public void Conservative_data_bound_assumes_a_square_layer_unless_rows_are_given()
    {
        var square = Qsi.Run("leakage", "--gain", "2", "--photons", "4", "--modes", "392", "--json").Json;
        var tall = Qsi.Run("leakage", "--gain", "2", "--photons", "4", "--modes", "392", "--rows", "2352", "--json").Json;

        Assert.Equal(784, square.GetProperty("rows").GetInt32());
        Assert.Equal(0.5, square.GetProperty("dataBitsConservative").GetDouble(), 12);
        Assert.Equal(0.5 * Math.Log2(4), tall.GetProperty("dataBitsConservative").GetDouble(), 12);
    }

    [Fact]
    public void Without_json_a_table_shows_the_bounds()
    {
        var run = Qsi.Run("leakage", "--gain", "2", "--photons", "4", "--modes", "392");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("0.08738", run.Stdout);
        Assert.Contains("0.007286", run.Stdout);
    }
}
