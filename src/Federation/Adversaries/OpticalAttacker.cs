using QSI.Federation.Rounds;
using QSI.Protocol.Attacks;
using QSI.Protocol.Client;

namespace QSI.Federation.Adversaries;

/// <summary>
/// A client that attacks the light itself (PROTOCOL.md section 5): its device is
/// <paramref name="attack"/>'s apparatus, a composition of physical operations on the frames it
/// receives; the rest of it (training, reporting) is honest.
/// </summary>
/// <param name="attack">The attack.</param>
public sealed class OpticalAttacker(Attack attack) : ClientConduct
{
    /// <summary>The attack.</summary>
    public Attack Attack { get; } = attack;

    /// <inheritdoc/>
    public override string Spec => Attack.Spec;

    /// <inheritdoc/>
    public override IClientDevice Device(double gain, SimulationPath path) => Attack.Device(gain, path);
}
