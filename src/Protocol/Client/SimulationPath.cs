namespace QSI.Protocol.Client;

/// <summary>How a device's optics are simulated; both draw from the same distributions.</summary>
public enum SimulationPath
{
    /// <summary>
    /// Exact sufficient statistics: O(1) random numbers per row, cost dominated by the two dot
    /// products per row that any client computation needs.
    /// </summary>
    SufficientStatistics,

    /// <summary>Every mode simulated as a Wigner sample through every optical element.</summary>
    ModeByMode,
}
