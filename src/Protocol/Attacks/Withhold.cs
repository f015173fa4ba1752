using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>Withhold (PROTOCOL.md section 5): measures as the honest device does and returns no light.</summary>
public sealed record Withhold : Attack
{
    /// <inheritdoc/>
    public override string Spec => "withhold";

    /// <inheritdoc/>
    public override ExpectedResidual Expected(double announcedGain, double photons, int modes, double transmission) => ExpectedResidual.Nothing;

    internal override bool ReturnsLight => false;
}
