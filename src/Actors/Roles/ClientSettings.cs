using Akka.Actor;

namespace QSI.Actors.Roles;

/// <summary>How a client runs its queries.</summary>
public sealed record ClientSettings
{
    /// <summary>The client's name in the federation; unique per client.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gain G of the client's amplifier.</summary>
    public double Gain { get; init; } = 2;

    /// <summary>Seed of the client's device noise.</summary>
    public int Seed { get; init; }

    /// <summary>Queries served by one request for frames (the frames' copies).</summary>
    public int QueriesPerRequest { get; init; } = 250;

    /// <summary>Longest wait for a step of a request (frames, downloads, verdicts) before it is asked for again.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause before asking again after a refusal or a failure.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed attempts after which the client gives up.</summary>
    public int Attempts { get; init; } = 30;
}

/// <summary>What a client reports when its queries are done (or it gave up).</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Images">Queries answered.</param>
/// <param name="Correct">Queries classified correctly.</param>
/// <param name="Checks">Verdicts received.</param>
/// <param name="Accepted">Verdicts that accepted.</param>
/// <param name="Rejected">Queries the verifier refused to check.</param>
/// <param name="Transmission">The verifier's pooled transmission estimate over all the client's light.</param>
/// <param name="ExcessNoise">The verifier's pooled excess-noise estimate (SNU per use).</param>
/// <param name="PooledAccepted">The verifier's pooled verdict.</param>
/// <param name="Elapsed">Time from start to report.</param>
/// <param name="Failure">Why the client gave up, if it did.</param>
/// <param name="Photons">Mean photons per mode of the frames received (0 if none arrived).</param>
/// <param name="Modes">Modes per row of the first layer's frames (0 if none arrived).</param>
/// <param name="ChannelTransmission">Transmission of the channel the frames crossed, as the server announced it (1 if none arrived).</param>
public sealed record ClientReport(string ClientId, int Images, int Correct, long Checks, long Accepted, long Rejected,
    double Transmission, double ExcessNoise, bool PooledAccepted, TimeSpan Elapsed, string? Failure, double Photons = 0, int Modes = 0,
    double ChannelTransmission = 1)
    : INoSerializationVerificationNeeded
{
    /// <summary>Fraction classified correctly.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>Fraction of checks that accepted.</summary>
    public double AcceptRate => Checks == 0 ? 0 : (double)Accepted / Checks;

    /// <summary>Queries per second, end to end.</summary>
    public double ImagesPerSecond => Images / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Sent to whoever awaits a client after each completed request.</summary>
public sealed record ClientProgress(string ClientId, int Done, int Total) : INoSerializationVerificationNeeded;
