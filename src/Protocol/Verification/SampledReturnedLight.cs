using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// Returned light held mode by mode, as one sample of its Wigner function: the per-mode
/// path, used for attacks and to check the fast path against.
/// </summary>
internal sealed class SampledReturnedLight : ReturnedLight
{
    private readonly LightModes[] _rows;

    public SampledReturnedLight(FrameId frame, LightModes[] rows, int modes) : base(frame, rows.Length, modes, uses: 1) => _rows = rows;

    internal IReadOnlyList<LightModes> RowModes => _rows;

    private protected override ReturnedLight Transmitted(double transmission, double addedNoise, NoiseSource noise)
    {
        foreach (var row in _rows)
        {
            row.Attenuate(transmission, noise);
            if (addedNoise > 0) row.AddNoise(addedNoise, noise);
        }
        return new SampledReturnedLight(Frame, _rows, Modes);
    }

    private protected override ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise) => Measure(reference, noise, null);

    /// <summary>
    /// Heterodynes every mode of every row, hands each row's outcomes (X, P per mode) to
    /// <paramref name="outcomes"/> when given, and returns the verifier's statistics of them.
    /// </summary>
    internal ResidualStatistics Measure(FrameReference reference, NoiseSource noise, Action<int, double[], double[]>? outcomes)
    {
        double correlation = 0, energy = 0, referenceEnergy = 0;
        for (var i = 0; i < Rows; i++)
        {
            var (x, p) = Detection.Heterodyne(_rows[i], noise);
            outcomes?.Invoke(i, x, p);
            var alpha = reference.Row(i);
            for (var j = 0; j < Modes; j++)
            {
                var ax = 2 * reference.Scale * alpha[2 * j];
                var ap = 2 * reference.Scale * alpha[2 * j + 1];
                correlation += x[j] * ax + p[j] * ap;
                energy += x[j] * x[j] + p[j] * p[j];
                referenceEnergy += ax * ax + ap * ap;
            }
        }
        return new ResidualStatistics(2L * Rows * Modes, Rows, referenceEnergy, correlation, energy);
    }
}
