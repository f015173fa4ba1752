using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// Over-gain (PROTOCOL.md section 5): the honest device with gain G' instead of the announced G.
/// It scales its estimates for G', measures b0 better, and leaves eps0(G') = (2G' - 2)/G' per
/// row use instead of eps0(G).
/// </summary>
public sealed record OverGain : Attack
{
    /// <summary>A device of real gain <paramref name="gain"/> (above 1).</summary>
    public OverGain(double gain)
    {
        if (!(gain > 1) || double.IsInfinity(gain)) throw new ArgumentOutOfRangeException(nameof(gain), gain, "an amplifier's gain is a finite number above 1");
        Gain = gain;
    }

    /// <summary>The real gain G'.</summary>
    public double Gain { get; }

    /// <inheritdoc/>
    public override string Spec => $"overgain:{Format(Gain)}";

    /// <inheritdoc/>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission) =>
        ExpectedResidual.Honest(Gain, transmission);

    internal override double DeviceGain(double announcedGain) => Gain;
}
