using QSI.Federation.Data;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>extract</c> adversary in a federation: a client that takes part exactly as an honest
/// one does (its <see cref="Client"/> measures, trains and returns light unchanged, so the
/// verifier sees nothing) while its <see cref="Extractor"/> regresses the global model from every
/// measurement. A simulation drives <see cref="Client"/> like any other and asks, each round, for
/// <see cref="Estimates"/> or, knowing the model, <see cref="Against"/>.
/// </summary>
/// <remarks>
/// Every task brings fresh frames, and the weights may have changed since the last one (the server
/// aggregates between its fit and evaluate phases, PROTOCOL.md section 6): a new frame of the first
/// layer starts a new extraction round, discounting what came before by <see cref="Retention"/>.
/// </remarks>
public sealed class CuriousClient : IMeasurementObserver
{
    private FrameId? _firstLayerFrame;

    /// <summary>
    /// A curious client <paramref name="clientId"/>, as <see cref="FederatedClient"/> takes them,
    /// keeping earlier rounds' measurements with weight <paramref name="retention"/>.
    /// </summary>
    public CuriousClient(string clientId, ModelShape shape, LabeledImages train, LabeledImages heldOut, ClientOptions options,
        double retention = 1, int maxBatchSize = 64)
    {
        if (retention is < 0 or > 1 || double.IsNaN(retention))
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "the retention of earlier rounds must be in [0, 1]");
        Retention = retention;
        Extractor = new WeightExtractor(shape, options.Gain);
        Client = new FederatedClient(clientId, shape, train, heldOut, options, maxBatchSize, observer: this);
    }

    /// <summary>The client the federation sees: an honest one in every message and every photon.</summary>
    public FederatedClient Client { get; }

    /// <summary>The estimator behind it.</summary>
    public WeightExtractor Extractor { get; }

    /// <summary>Weight of earlier rounds' measurements when the weights may have changed (0 forgets them, 1 keeps them).</summary>
    public double Retention { get; }

    /// <summary>The attacker's estimate of every layer of the global model, from all it has measured.</summary>
    public IReadOnlyList<LayerEstimate> Estimates() => Extractor.EstimateAll();

    /// <summary>Those estimates measured against <paramref name="truth"/>, the global model only the simulation knows.</summary>
    public IReadOnlyList<LayerExtraction> Against(Mlp truth) => Extractor.Against(truth);

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
