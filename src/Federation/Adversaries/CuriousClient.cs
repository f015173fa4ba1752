using System.Collections.Concurrent;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>extract</c> adversary: a client that takes part exactly as an honest one does (it
/// measures, trains and returns light unchanged, so the verifier sees nothing) while its
/// <see cref="Extractor"/> regresses the global model from every measurement. After each fit
/// task it keeps its estimate of the model that task's frames carried (<see cref="TakeFitEstimate"/>),
/// for a simulation to compare with the truth.
/// </summary>
/// <remarks>
/// Every task brings fresh frames, and the weights may have changed since the last one (the server
/// aggregates between its fit and evaluate phases, PROTOCOL.md section 6): a new frame of the first
/// layer starts a new extraction round, discounting what came before by <see cref="Retention"/>.
/// </remarks>
/// <param name="retention">Weight of earlier rounds' measurements (0 forgets them, 1 keeps them).</param>
public sealed class CuriousClient(double retention = 0) : ClientConduct, IMeasurementObserver
{
    private readonly ConcurrentDictionary<int, IReadOnlyList<LayerEstimate>> _fitEstimates = new();
    private WeightExtractor? _extractor;
    private FrameId? _firstLayerFrame;

    /// <inheritdoc/>
    public override string Spec => "extract";

    /// <summary>Weight of earlier rounds' measurements when the weights may have changed (0 forgets them, 1 keeps them).</summary>
    public double Retention { get; } = retention is >= 0 and <= 1
        ? retention
        : throw new ArgumentOutOfRangeException(nameof(retention), retention, "the retention of earlier rounds must be in [0, 1]");

    /// <summary>The estimator behind it, once the client knows the model's shape.</summary>
    public WeightExtractor Extractor => _extractor ?? throw new InvalidOperationException("the curious client has not joined a federation yet");

    /// <inheritdoc/>
    public override IMeasurementObserver Observer(ModelShape shape, double gain)
    {
        _extractor ??= new WeightExtractor(shape, gain);
        return this;
    }

    /// <summary>The attacker's estimate of every layer of the global model, from all it has measured.</summary>
    public IReadOnlyList<LayerEstimate> Estimates() => Extractor.EstimateAll();

    /// <summary>Those estimates measured against <paramref name="truth"/>, the global model only the simulation knows.</summary>
    public IReadOnlyList<LayerExtraction> Against(Mlp truth) => Extractor.Against(truth);

    /// <summary>
    /// The estimate the client made at the end of its fit task of <paramref name="round"/>, of the model
    /// that round's frames carried; null if it had none that round. Taken once.
    /// </summary>
    public IReadOnlyList<LayerEstimate>? TakeFitEstimate(int round) => _fitEstimates.TryRemove(round, out var estimate) ? estimate : null;

    /// <inheritdoc/>
    public override ClientTaskResult Report(ClientTaskResult done)
    {
        if (done.Task.Kind == TaskKind.Fit && done.Declined is null && _extractor is not null) _fitEstimates[done.Task.Round] = Estimates();
        return done;
    }

    /// <inheritdoc/>
    public void Observe(int layer, FrameOrientation orientation, CoherentFrame frame, ReadOnlySpan<float> inputs, int count, ReadOnlySpan<float> estimates)
    {
        if (layer == 0 && orientation == FrameOrientation.Forward && frame.Id != _firstLayerFrame)
        {
            if (_firstLayerFrame is not null) Extractor.BeginRound(Retention);
            _firstLayerFrame = frame.Id;
        }
        Extractor.Observe(layer, orientation, frame, inputs, count, estimates);
    }
}
