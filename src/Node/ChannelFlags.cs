using System.CommandLine;
using QSI.Federation.Rounds;
using QSI.Protocol.Optics;

namespace QSI.Node;

/// <summary>
/// The flags of a real channel (docs/CONVENTIONS.md, "A real channel"), one per field of
/// <see cref="ChannelImperfections"/>; every default is the ideal channel.
/// </summary>
internal sealed class ChannelFlags
{
    private readonly Option<double> _clientEfficiency = Efficiency("--client-efficiency", "Quantum efficiency of the client's homodyne, in (0, 1] (trusted: the client corrects its estimate).");
    private readonly Option<double> _clientElectronic = Noise("--client-electronic-noise", "Electronic noise of the client's homodyne, SNU (>= 0).");
    private readonly Option<double> _verifierEfficiency = Efficiency("--verifier-efficiency", "Quantum efficiency of the verifier's heterodyne, in (0, 1] (trusted: corrected in its estimates).");
    private readonly Option<double> _verifierElectronic = Noise("--verifier-electronic-noise", "Electronic noise of each of the verifier's heterodyne outcomes, SNU (>= 0).");
    private readonly Option<double> _returnTransmission = Efficiency("--return-transmission", "Transmission of the return path from the client to the verifier, in (0, 1].");
    private readonly Option<double> _excessNoise = Noise("--channel-excess-noise", "Excess noise the channel adds at the client's input, SNU per quadrature of every mode (>= 0).");
    private readonly Option<double> _phaseNoise = CheckedOptions.Real("--phase-noise", "SIGMA",
        "Standard deviation of the local oscillator's phase noise, radians, in [0, pi] (a Gaussian approximation; accurate for sigma << 1).",
        "a number in [0, pi]", v => v is >= 0 and <= Math.PI, defaultValue: 0);

    /// <summary>Every flag, to add to a command.</summary>
    public IEnumerable<Option> All => [_clientEfficiency, _clientElectronic, _verifierEfficiency, _verifierElectronic, _returnTransmission, _excessNoise, _phaseNoise];

    /// <summary>The flags that concern the verifier: its detector, the return path, and the channel noise it expects.</summary>
    public IEnumerable<Option> VerifierSide => [_verifierEfficiency, _verifierElectronic, _returnTransmission, _excessNoise, _phaseNoise];

    /// <summary>The channel of the <see cref="VerifierSide"/> flags (the client's detector ideal: the verifier cannot see it).</summary>
    public ChannelImperfections ReadVerifierSide(ParseResult parse) => Read(parse, VerifierSide);

    /// <summary>The channel the flags describe.</summary>
    public ChannelImperfections Read(ParseResult parse) => Read(parse, All);

    /// <summary>The flags that concern a client: its detector, and the channel's noise on the light that reaches it.</summary>
    public IEnumerable<Option> ClientSide => [_clientEfficiency, _clientElectronic, _excessNoise, _phaseNoise];

    /// <summary>The channel of the <see cref="ClientSide"/> flags (the return path and the verifier's detector ideal: the client does not simulate them).</summary>
    public ChannelImperfections ReadClientSide(ParseResult parse) => Read(parse, ClientSide);

    /// <summary>The channel of the flags in <paramref name="side"/> (those the command has), every other field ideal.</summary>
    private ChannelImperfections Read(ParseResult parse, IEnumerable<Option> side)
    {
        var given = side.ToHashSet();
        var ideal = ChannelImperfections.Ideal;
        double Value(Option<double> option, double otherwise) => given.Contains(option) ? parse.GetValue(option) : otherwise;
        return new ChannelImperfections
        {
            ClientEfficiency = Value(_clientEfficiency, ideal.ClientEfficiency),
            ClientElectronicNoise = Value(_clientElectronic, ideal.ClientElectronicNoise),
            VerifierEfficiency = Value(_verifierEfficiency, ideal.VerifierEfficiency),
            VerifierElectronicNoise = Value(_verifierElectronic, ideal.VerifierElectronicNoise),
            ReturnTransmission = Value(_returnTransmission, ideal.ReturnTransmission),
            ExcessNoise = Value(_excessNoise, ideal.ExcessNoise),
            PhaseNoise = Value(_phaseNoise, ideal.PhaseNoise),
        }.Validated();
    }

    /// <summary>
    /// <paramref name="settings"/> behind the real channel the flags describe; a plain run sends no light, so
    /// it takes only the ideal one.
    /// </summary>
    public FederationSettings Apply(FederationSettings settings, ParseResult parse)
    {
        var testbed = Read(parse);
        if (testbed.IsIdeal) return settings;
        if (settings.Channel is not { } channel)
            throw new UserError("--plain sends the model in the clear, through no channel; drop the channel flags (--client-efficiency, --return-transmission, ...) or --plain");
        return settings with { Channel = channel with { Imperfections = testbed } };
    }

    private static Option<double> Efficiency(string name, string description) =>
        CheckedOptions.Real(name, "ETA", description + " 1 is ideal.", "a number in (0, 1]", v => v is > 0 and <= 1, defaultValue: 1);

    private static Option<double> Noise(string name, string description) =>
        CheckedOptions.Real(name, "V", description + " 0 is ideal.", "a number >= 0", v => v >= 0, defaultValue: 0);
}
