namespace QSI.Protocol.Client;

/// <summary>
/// The light that reaches a device's U_x in one batch of uses, as the sufficient-statistics path
/// describes it (docs/CONVENTIONS.md, "The returned light in O(m) numbers"). Row i of use b is
/// Gaussian: quadrature means sqrt(t) A_i + D_bi, with A_i = (2 Re alpha_i, 2 Im alpha_i) the
/// server's amplitudes and t = <see cref="Transmission"/>, and variance V_in
/// (<see cref="InputVariance"/>) on every quadrature of every mode, independently.
/// </summary>
/// <remarks>
/// The device needs the offsets D only along x: u . D and u_P . D per row use, with u and u_P
/// the real forms of x and i x. The verifier needs the rest of D only through two sums over
/// every row use: A_rest . D_rest and |D_rest|^2, the parts orthogonal to u and u_P. The honest
/// device receives sqrt(T) alpha with vacuum noise: t = T, V_in = 1, D = 0.
/// </remarks>
/// <param name="Transmission">t: the mean is sqrt(t) times the server's amplitudes, plus the offsets.</param>
/// <param name="InputVariance">V_in, per quadrature, in every mode (1 for coherent light).</param>
internal sealed record IncomingLight(double Transmission, double InputVariance = 1)
{
    /// <summary>u . D per row use (k = b m + i), quadrature units; null for no offsets.</summary>
    public double[]? OffsetX { get; init; }

    /// <summary>u_P . D per row use; null for no offsets.</summary>
    public double[]? OffsetP { get; init; }

    /// <summary>Sum over row uses of A_rest . D_rest.</summary>
    public double RestDot { get; init; }

    /// <summary>Sum over row uses of |D_rest|^2.</summary>
    public double RestSquared { get; init; }

    /// <summary>
    /// The client's own estimate of the X quadrature along x of light it sent around the device
    /// (k = b m + i), added to what its detector measured; null when none.
    /// </summary>
    public double[]? DivertedEstimate { get; init; }
}
