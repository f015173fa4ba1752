namespace QSI.Protocol.Encoding;

/// <summary>
/// One layer's weights encoded in weak coherent states and sent to a client: m rows of n'
/// modes, alpha_ij = s (w_i,2j + i w_i,2j+1) (PROTOCOL.md section 3, step 1).
/// </summary>
/// <remarks>
/// A frame is light, not data: each of its copies can be measured once (section 7), and the
/// public surface exposes only what a receiver knows (shape, the announced scale s, the
/// photon number, the channel transmission). Amplitudes are reachable only by the physical
/// operations of this assembly.
/// </remarks>
public sealed class CoherentFrame
{
    private readonly float[] _packedWeights;
    private int _copiesRemaining;

    internal CoherentFrame(FrameId id, float[] packedWeights, int rows, int columns, double scale, double photons, int copies, double transmission = 1)
    {
        Transmission = transmission;
        Id = id;
        _packedWeights = packedWeights;
        Rows = rows;
        Columns = columns;
        Scale = scale;
        Photons = photons;
        _copiesRemaining = copies;
    }

    /// <summary>Identifies the frame to the verifier that holds its reference.</summary>
    public FrameId Id { get; }

    /// <summary>Number of rows m (output units of the layer).</summary>
    public int Rows { get; }

    /// <summary>Number of real weights per row n.</summary>
    public int Columns { get; }

    /// <summary>Number of modes per row, n' = ceil(n/2).</summary>
    public int Modes => (Columns + 1) / 2;

    /// <summary>The announced amplitude scale s = sqrt(mu / (2 &lt;W^2&gt;)).</summary>
    public double Scale { get; }

    /// <summary>Mean photon number per mode mu at the server.</summary>
    public double Photons { get; }

    /// <summary>Amplitude transmission squared of the channels this light has passed (1 = lossless).</summary>
    public double Transmission { get; private set; } = 1;

    /// <summary>Copies that have not been measured yet.</summary>
    public int CopiesRemaining => _copiesRemaining;

    /// <summary>
    /// Sends the light through a lossy channel of transmission <paramref name="transmission"/>.
    /// Coherent states stay coherent under loss, with amplitudes scaled by sqrt(T).
    /// </summary>
    public void PassThroughChannel(double transmission)
    {
        if (transmission is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(transmission), transmission, "channel transmission must be in (0, 1]");
        Transmission *= transmission;
    }

    /// <summary>
    /// Noise added by the channels this light has passed, per quadrature of every mode, in SNU
    /// (0 for a pure-loss channel): the light's quadrature variance is 1 + this.
    /// </summary>
    public double AddedNoise { get; private set; }

    /// <summary>
    /// Sends the light through a Gaussian channel: loss of transmission <paramref name="transmission"/>,
    /// then <paramref name="addedNoise"/> SNU of phase-insensitive noise on every quadrature of every mode
    /// (docs/CONVENTIONS.md, "A real channel"). Noise already present is attenuated with the light:
    /// N becomes T N + N_added.
    /// </summary>
    public void PassThroughChannel(double transmission, double addedNoise)
    {
        if (!(addedNoise >= 0) || double.IsInfinity(addedNoise))
            throw new ArgumentOutOfRangeException(nameof(addedNoise), addedNoise, "channel excess noise must be a finite variance >= 0 (shot-noise units)");
        PassThroughChannel(transmission);
        if (addedNoise > 0 || AddedNoise > 0) AddedNoise = transmission * AddedNoise + addedNoise;
    }

    /// <summary>
    /// Takes every remaining copy for transport: the light leaves this object, which has no
    /// copies left afterwards.
    /// </summary>
    internal (float[] PackedWeights, int Copies) TakeAllCopies()
    {
        var copies = Interlocked.Exchange(ref _copiesRemaining, 0);
        if (copies <= 0) throw new FrameConsumedException(Id);
        return (_packedWeights, copies);
    }

    /// <summary>
    /// The light's description, without taking a copy: for a device simulation to form, once, the
    /// products it will need at every use of the frame (<see cref="Client.PreparedInputs"/>).
    /// Every use must still take its copy with <see cref="TakeCopies"/>.
    /// </summary>
    internal FrameLight Amplitudes() => new(Id, _packedWeights, Rows, Modes, Scale, Transmission, Photons) { AddedNoise = AddedNoise };

    /// <summary>Takes <paramref name="count"/> copies of the light for measurement; each copy can be taken once.</summary>
    internal FrameLight TakeCopies(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a measurement takes at least one copy");
        if (Interlocked.Add(ref _copiesRemaining, -count) < 0)
        {
            Interlocked.Add(ref _copiesRemaining, count);
            throw new FrameConsumedException(Id, count);
        }
        return Amplitudes();
    }
}

/// <summary>Thrown when a frame is measured more often than it has unmeasured copies.</summary>
public sealed class FrameConsumedException(FrameId id, int wanted = 1)
    : InvalidOperationException(wanted == 1
        ? $"frame {id} has no unmeasured copies left: coherent light can be measured only once"
        : $"frame {id} has fewer than {wanted} unmeasured copies left: coherent light can be measured only once");

/// <summary>The identity of an encoded frame.</summary>
public readonly record struct FrameId(long Value)
{
    private static long s_last;

    /// <summary>A fresh identity, unique within the process.</summary>
    public static FrameId Next() => new(Interlocked.Increment(ref s_last));

    /// <inheritdoc/>
    public override string ToString() => $"#{Value}";
}
