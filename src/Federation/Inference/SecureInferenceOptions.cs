using QSI.Protocol.Attacks;
using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Federation.Inference;

/// <summary>Settings of a secure inference run.</summary>
public sealed record SecureInferenceOptions
{
    /// <summary>Mean photon number per mode mu at the server.</summary>
    public double Photons { get; init; } = 4;

    /// <summary>Client amplifier gain G.</summary>
    public double Gain { get; init; } = 2;

    /// <summary>Transmission T of the server-to-client channel (1 = lossless).</summary>
    public double Transmission { get; init; } = 1;

    /// <summary>
    /// The testbed's imperfections (docs/CONVENTIONS.md, "A real channel"): detectors, return loss, excess and
    /// phase noise. The verifier expects them, as calibrated. Ideal by default.
    /// </summary>
    public ChannelImperfections Channel { get; init; } = ChannelImperfections.Ideal;

    /// <summary>Verifier's false-alarm rate per check (one check per image).</summary>
    public double FalseAlarmRate { get; init; } = 0.01;

    /// <summary>Seed of every random draw of the run.</summary>
    public int Seed { get; init; }

    /// <summary>How the optics are simulated.</summary>
    public SimulationPath Path { get; init; } = SimulationPath.SufficientStatistics;

    /// <summary>Images served by one encoded frame per layer (the frame's copies).</summary>
    public int ImagesPerFrame { get; init; } = 250;

    /// <summary>
    /// Queries applied together to copies of one frame per layer, their light checked together
    /// (a verdict per batch of queries rather than per query); 1 runs one query at a time.
    /// </summary>
    public int Batch { get; init; } = 1;

    /// <summary>What a dishonest client does (PROTOCOL.md section 5); null for the honest device.</summary>
    public Attack? Attack { get; init; }

    /// <summary>Worker threads (default: one per core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
