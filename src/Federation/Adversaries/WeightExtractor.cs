using QSI.Federation.Models;
using QSI.Protocol.Client;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>extract</c> adversary's estimator: a curious client that keeps the (input, estimate)
/// pairs its honest measurements give it and regresses each layer's W from them, by Bayesian
/// ridge regression, the MMSE estimate under the prior N(0, &lt;W^2&gt;) per weight.
/// </summary>
/// <remarks>
/// A use of a frame with input z gives y_i = |z| (w_i.x + e_i), x = z/|z|,
/// e_i ~ N(0, &lt;W^2&gt;/(F T)) with F = 2 mu kappa(G) (PROTOCOL.md section 3, step 4); the frame
/// announces s, so &lt;W^2&gt; = mu/(2 s^2) and the noise are known to the client. Forward frames
/// regress the rows of [W | b] on x, transposed frames (section 6) the rows of W^T on the
/// normalised deltas; <see cref="Estimate(int)"/> combines both exactly (<see cref="LayerPosterior"/>).
/// W changes between training rounds: <see cref="BeginRound"/> discounts what was gathered so far.
/// Not thread-safe: one client measures on one thread.
/// </remarks>
public sealed class WeightExtractor : IMeasurementObserver
{
    private readonly DeviceNoise _device;
    private readonly NormalEquations?[,] _equations;
    private readonly double?[,] _priorVariance;
    private readonly LightTally _light;

    /// <summary>An extractor for models of <paramref name="shape"/>, measured by a device of amplifier gain <paramref name="gain"/>.</summary>
    public WeightExtractor(ModelShape shape, double gain)
    {
        Shape = shape;
        _device = new DeviceNoise(gain);
        _equations = new NormalEquations?[shape.Depth, 2];
        _priorVariance = new double?[shape.Depth, 2];
        _light = new LightTally(shape, gain);
    }

    /// <summary>The shape of the model under attack: all a client knows of it.</summary>
    public ModelShape Shape { get; }

    /// <inheritdoc/>
    public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates)
    {
        if (layer < 0 || layer >= Shape.Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"the model has {Shape.Depth} layers");
        var (rows, columns) = FrameShape(Shape, layer, orientation);
        if (frame.Rows != rows || frame.Columns != columns)
            throw new ArgumentException($"a {orientation.ToString().ToLowerInvariant()} frame of layer {layer} of a {Shape} model is {rows}x{columns}; frame {frame.Id} is {frame.Rows}x{frame.Columns}", nameof(frame));
        if (inputs.Length != count * columns || estimates.Length != count * rows)
            throw new ArgumentException($"{count} uses of frame {frame.Id} have {count * columns} inputs and {count * rows} estimates; got {inputs.Length} and {estimates.Length}");

        var meanSquare = LightTally.MeanSquare(frame);
        var noiseVariance = meanSquare / (_device.SignalFactor(frame.Photons) * frame.Transmission);
        var side = (int)orientation;
        (_equations[layer, side] ??= new NormalEquations(columns, rows)).Add(inputs, estimates, count, noiseVariance);
        _priorVariance[layer, side] = meanSquare;
        _light.Record(layer, orientation, frame, count);
    }

    /// <summary>
    /// Starts a new round of weights: what was gathered so far is kept with weight
    /// <paramref name="retention"/> (0 forgets it, and its light no longer counts; 1 keeps it all,
    /// as though W had not changed).
    /// </summary>
    public void BeginRound(double retention)
    {
        if (retention is < 0 or > 1 || double.IsNaN(retention))
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "the retention of earlier rounds must be in [0, 1]");
        foreach (var equations in _equations) equations?.Retain(retention);
        _light.NewRound(forget: retention == 0);
    }

    /// <summary>The estimate of layer <paramref name="layer"/> from every measurement of its frames, forward and transposed.</summary>
    public LayerEstimate Estimate(int layer) => Solve(layer, forward: true, transposed: true);

    /// <summary>The estimate of layer <paramref name="layer"/> from its frames of <paramref name="only"/> one orientation.</summary>
    public LayerEstimate Estimate(int layer, FrameOrientation only) =>
        Solve(layer, forward: only == FrameOrientation.Forward, transposed: only == FrameOrientation.Transposed);

    /// <summary>Every layer's estimate, in layer order.</summary>
    public IReadOnlyList<LayerEstimate> EstimateAll() => [.. Enumerable.Range(0, Shape.Depth).Select(Estimate)];

    /// <summary>Every layer's estimate measured against <paramref name="truth"/>, which only a simulation knows.</summary>
    public IReadOnlyList<LayerExtraction> Against(Mlp truth)
    {
        if (!ModelShape.Of(truth).Sizes.SequenceEqual(Shape.Sizes) || ModelShape.Of(truth).Bias != Shape.Bias)
            throw new ArgumentException($"the extractor attacks a {Shape} model; the truth is {ModelShape.Of(truth)}", nameof(truth));
        return [.. EstimateAll().Select((e, l) => LayerExtraction.Of(e, truth.Layers[l]))];
    }

    private LayerEstimate Solve(int layer, bool forward, bool transposed)
    {
        if (layer < 0 || layer >= Shape.Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"the model has {Shape.Depth} layers");
        var forwardEquations = forward ? _equations[layer, 0] : null;
        var transposedEquations = transposed ? _equations[layer, 1] : null;
        // The forward frame announces the mean square of [W | b], the prior of every parameter;
        // a layer seen only through W^T takes that frame's; one never seen (estimate 0), the variance
        // 1/(3n) of the default initialisation, U(-1/sqrt n, 1/sqrt n).
        var prior = (forwardEquations is null ? null : _priorVariance[layer, 0])
            ?? (transposedEquations is null ? null : _priorVariance[layer, 1])
            ?? 1.0 / (3 * Shape.Sizes[layer]);
        int rows = Shape.Sizes[layer + 1], columns = Shape.Sizes[layer];
        var posterior = LayerPosterior.Solve(rows, columns, Shape.Bias, prior, forwardEquations, transposedEquations);
        var parameters = (double)rows * (columns + (Shape.Bias ? 1 : 0));
        FrameOrientation? only = forward && transposed ? null : forward ? FrameOrientation.Forward : FrameOrientation.Transposed;
        return new LayerEstimate(layer, posterior.Mean, posterior.ExpectedSquaredError, prior, posterior.InformationBits / parameters,
            forward ? _light.Copies(layer, FrameOrientation.Forward) : 0, transposed ? _light.Copies(layer, FrameOrientation.Transposed) : 0,
            _light.AccountBitsPerWeight(layer, only), _light.TightestBitsPerWeight(layer, only));
    }

    /// <summary>
    /// The bytes an extractor of a <paramref name="shape"/> model holds once it has seen light of
    /// every frame, forward and transposed: each orientation's normal equations of an m x n frame
    /// hold n^2 + n m doubles, so a layer holds 8 (n + m)^2 bytes (one column more with a bias).
    /// </summary>
    public static long HeldBytes(ModelShape shape)
    {
        long bytes = 0;
        for (var layer = 0; layer < shape.Depth; layer++)
        {
            var (rows, columns) = FrameShape(shape, layer, FrameOrientation.Forward);
            bytes += sizeof(double) * (long)(rows + columns) * (rows + columns);
        }
        return bytes;
    }

    private static (int Rows, int Columns) FrameShape(ModelShape shape, int layer, FrameOrientation orientation) => orientation == FrameOrientation.Forward
        ? (shape.Sizes[layer + 1], shape.Sizes[layer] + (shape.Bias ? 1 : 0))
        : (shape.Sizes[layer], shape.Sizes[layer + 1]);
}
