using QSI.Federation.Rounds;
using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Optics;

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

    /// <summary>The attack's apparatus, announcing <paramref name="gain"/>; it brings its own detectors, so <paramref name="detector"/> does not enter.</summary>
    public override IClientDevice Device(double gain, SimulationPath path, Detector detector = default) => Attack.Device(gain, path);
}
