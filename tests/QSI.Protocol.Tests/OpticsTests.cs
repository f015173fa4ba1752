using System.Numerics;
using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;

namespace QSI.Protocol.Tests;

public class OpticsTests
{
    [Fact]
    public void The_input_unitary_sends_the_input_direction_to_the_first_mode()
    {
        var x = new[] { new Complex(0.3, -0.2), new Complex(-0.5, 0.1), new Complex(0.4, 0.6) };
        var norm = Math.Sqrt(x.Sum(v => v.Magnitude * v.Magnitude));
        var unit = x.Select(v => v / norm).ToArray();
        var alpha = new[] { new Complex(1, 2), new Complex(-0.5, 0.25), new Complex(0.75, -1) };
        var modes = new LightModes(3);
        for (var j = 0; j < 3; j++) (modes.X[j], modes.P[j]) = (alpha[j].Real, alpha[j].Imaginary);

        var unitary = new InputUnitary(unit);
        unitary.Apply(modes);
        var b0 = Enumerable.Range(0, 3).Aggregate(Complex.Zero, (s, j) => s + Complex.Conjugate(unit[j]) * alpha[j]);
        Assert.Equal(b0.Real, modes.X[0], 12);
        Assert.Equal(b0.Imaginary, modes.P[0], 12);

        unitary.ApplyAdjoint(modes);
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(alpha[j].Real, modes.X[j], 12);
            Assert.Equal(alpha[j].Imaginary, modes.P[j], 12);
        }
    }

    [Fact]
    public void Encoding_puts_mu_photons_in_each_mode_on_average()
    {
        var weights = ProtocolFixture.Weights(7, 10, seed: 4);
        var layer = WeightEncoder.Encode(weights, 7, 10, photons: 3.6);
        var total = Enumerable.Range(0, 7).Sum(layer.Reference.RowPhotons);
        Assert.Equal(3.6, total / (7 * 5), 6);
        Assert.Equal(Math.Sqrt(3.6 / (2 * weights.Average(w => (double)w * w))), layer.Light.Scale, 5);
    }

    [Fact]
    public void Transposed_encoding_encodes_the_columns_as_rows()
    {
        var weights = new float[] { 1, 2, 3, 4, 5, 6 }; // 2 x 3
        var layer = WeightEncoder.EncodeTransposed(weights, 2, 3, photons: 1);
        Assert.Equal((3, 2), (layer.Reference.Rows, layer.Reference.Columns));
        Assert.Equal(new float[] { 1, 4 }, layer.Reference.Row(0).ToArray());
        Assert.Equal(new float[] { 3, 6 }, layer.Reference.Row(2).ToArray());
    }
}
