namespace QSI.Federation.Serving;

/// <summary>
/// A request that breaks the protocol (unknown client or request, a finished request, light of
/// the wrong shape). The party answers it with an error and carries on.
/// </summary>
/// <param name="message">What was wrong, in one line.</param>
/// <param name="lightMeasured">True when some of the light was measured before the violation showed.</param>
public sealed class ProtocolViolation(string message, bool lightMeasured = false) : Exception(message)
{
    /// <summary>True when some of the light was measured before the violation showed (the client's data is then exposed).</summary>
    public bool LightMeasured { get; } = lightMeasured;
}
