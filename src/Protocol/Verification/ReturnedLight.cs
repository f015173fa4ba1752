using QSI.Protocol.Encoding;
using QSI.Protocol.Optics;
using QSI.Protocol.Randomness;

namespace QSI.Protocol.Verification;

/// <summary>
/// The light a client sends back after one or more uses of a frame (PROTOCOL.md section 3,
/// step 5). It can be measured once, by the verifier, against the frame's reference.
/// </summary>
public abstract class ReturnedLight
{
    private int _measured;

    private protected ReturnedLight(FrameId frame, int rows, int modes, long uses)
    {
        if (uses < 1) throw new ArgumentOutOfRangeException(nameof(uses), uses, "returned light comes from at least one use of a frame");
        Frame = frame;
        Rows = rows;
        Modes = modes;
        Uses = uses;
    }

    /// <summary>The frame whose light this is.</summary>
    public FrameId Frame { get; }

    /// <summary>Rows m of each use.</summary>
    public int Rows { get; }

    /// <summary>Modes per row n'.</summary>
    public int Modes { get; }

    /// <summary>Uses of the frame (copies measured) whose light this is.</summary>
    public long Uses { get; }

    /// <summary>
    /// Heterodynes every returned mode and correlates the outcomes with the reference
    /// amplitudes. Measures the light, so it can be called once.
    /// </summary>
    public ResidualStatistics MeasureHeterodyne(FrameReference reference, NoiseSource noise)
    {
        Take(reference);
        return Heterodyne(reference, noise);
    }

    /// <summary>
    /// The same with a real heterodyne <paramref name="detector"/>: efficiency eta in front of both ports and
    /// electronic noise v_el on each rescaled outcome, so an outcome of a quadrature of variance V has mean
    /// sqrt(eta) times the ideal one and variance eta V + (1 - eta) + v_el + 1 (docs/CONVENTIONS.md, "A real channel").
    /// </summary>
    public ResidualStatistics MeasureHeterodyne(FrameReference reference, NoiseSource noise, Detector detector)
    {
        Take(reference);
        if (detector.IsIdeal) return Heterodyne(reference, noise);
        return Transmitted(detector.Efficiency, detector.ElectronicNoise, noise).Heterodyne(reference, noise);
    }

    /// <summary>
    /// Sends the light through the return path to the verifier, a loss of transmission
    /// <paramref name="transmission"/>, and returns the light that arrives; this light is gone afterwards
    /// (at transmission 1 it is returned as it is).
    /// </summary>
    public ReturnedLight PassThroughChannel(double transmission, NoiseSource noise)
    {
        if (transmission is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(transmission), transmission, "return transmission must be in (0, 1]");
        if (transmission == 1) return this;
        Release();
        return Transmitted(transmission, 0, noise);
    }

    /// <summary>Transforms light that was released into a larger whole (see <see cref="Transmitted"/>).</summary>
    internal ReturnedLight TransmittedPart(double transmission, double addedNoise, NoiseSource noise) => Transmitted(transmission, addedNoise, noise);

    /// <summary>
    /// New light: this light after a loss of <paramref name="transmission"/> and then <paramref name="addedNoise"/> SNU of
    /// Gaussian noise on every quadrature of every mode. This light must not be used afterwards.
    /// </summary>
    private protected abstract ReturnedLight Transmitted(double transmission, double addedNoise, NoiseSource noise);

    /// <summary>Checks that the light can be measured against <paramref name="reference"/>, and marks it measured.</summary>
    internal void Take(FrameReference reference)
    {
        if (reference.Id != Frame)
            throw new ArgumentException($"returned light of frame {Frame} cannot be checked against the reference of frame {reference.Id}", nameof(reference));
        if (reference.Rows != Rows || reference.Modes != Modes)
            throw new ArgumentException($"returned light has {Rows}x{Modes} modes; frame {Frame} has {reference.Rows}x{reference.Modes}", nameof(reference));
        Release();
    }

    /// <summary>
    /// The light of several uses of one frame, to be measured together: the verifier's
    /// statistics of the whole are the sums of the parts' (PROTOCOL.md section 7). Honest light
    /// of the fast path merges into O(1) numbers whatever the number of uses. The parts are
    /// gone afterwards.
    /// </summary>
    public static ReturnedLight Combine(IReadOnlyList<ReturnedLight> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("there is no light to combine", nameof(parts));
        var first = parts[0];
        foreach (var part in parts)
            if (part.Frame != first.Frame || part.Rows != first.Rows || part.Modes != first.Modes)
                throw new ArgumentException($"light of frame {part.Frame} ({part.Rows}x{part.Modes}) cannot join light of frame {first.Frame} ({first.Rows}x{first.Modes})", nameof(parts));
        if (parts.Count == 1) return first;
        var merged = ConditionedReturnedLight.TryMerge(parts);
        foreach (var part in parts) part.Release();
        return (ReturnedLight?)merged ?? new CombinedReturnedLight([.. parts]);
    }

    /// <summary>Marks the light as gone (sent away); it can then be neither measured nor sent again.</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _measured, 1) == 1)
            throw new InvalidOperationException($"returned light of frame {Frame} was already measured or sent: light exists once");
    }

    /// <summary>Measures light that was released into a larger whole (see <see cref="Combine"/>).</summary>
    internal ResidualStatistics MeasurePart(FrameReference reference, NoiseSource noise) => Heterodyne(reference, noise);

    private protected abstract ResidualStatistics Heterodyne(FrameReference reference, NoiseSource noise);
}
