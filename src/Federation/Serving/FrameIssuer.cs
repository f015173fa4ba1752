using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Serving;

/// <summary>Frames issued to one client for a batch of queries, one per layer.</summary>
/// <param name="RequestId">The issue's identity, unguessable (<see cref="RequestIds"/>).</param>
/// <param name="ClientId">The client the light is for.</param>
/// <param name="Queries">Copies of each frame: queries the batch can serve.</param>
/// <param name="Layers">Light and reference of each layer.</param>
public sealed record IssuedFrames(long RequestId, string ClientId, int Queries, IReadOnlyList<EncodedLayer> Layers);

/// <summary>A request for frames the server will not serve, and why.</summary>
/// <param name="message">What was wrong, in one line.</param>
/// <param name="final">True when asking again cannot help (flagged, budget spent, a limit broken).</param>
public sealed class RequestRefused(string message, bool final = true) : Exception(message)
{
    /// <summary>True when asking again cannot help.</summary>
    public bool Final { get; } = final;
}

/// <summary>
/// The server's side of serving a model through light (PROTOCOL.md section 3): encodes every
/// layer for a batch of a client's queries, charges what the frames can reveal to the client's
/// weight account (section 4, accumulation) and refuses a client past its budget or flagged by the
/// verifier. A client holds one request at a time, so one that never returns its light holds
/// up only itself, and only its one batch is exposed.
/// </summary>
public sealed class FrameIssuer
{
    private readonly OpticalNetwork _network;
    private readonly ModelShape _shape;
    private readonly ChannelSettings _channel;
    private readonly Dictionary<long, IssuedFrames> _outstanding = [];
    private readonly Dictionary<string, string> _flagged = new(StringComparer.Ordinal);

    /// <summary>
    /// Serves <paramref name="model"/> at <paramref name="photons"/> photons per mode through a channel
    /// of <paramref name="transmission"/> to clients whose amplifiers have gain <paramref name="gain"/>;
    /// no client may accumulate more than <paramref name="weightBudget"/> bits per weight in any layer.
    /// </summary>
    public FrameIssuer(Mlp model, double photons, int maxQueriesPerRequest = 1000, double transmission = 1, double gain = 2,
        double? weightBudget = null, WeightAccounting accounting = WeightAccounting.Coherent)
    {
        _channel = new ChannelSettings(photons, gain, transmission).Validated();
        if (maxQueriesPerRequest < 1) throw new ArgumentOutOfRangeException(nameof(maxQueriesPerRequest), maxQueriesPerRequest, "a request serves at least one query");
        if (weightBudget is <= 0) throw new ArgumentOutOfRangeException(nameof(weightBudget), weightBudget, "the weight budget must be positive");
        _network = new OpticalNetwork(model);
        _shape = ModelShape.Of(model);
        MaxQueriesPerRequest = maxQueriesPerRequest;
        WeightBudget = weightBudget;
        Accounting = accounting;
        Leakage = new LeakageAccountant(_shape.Depth);
        InputSize = model.InputSize;
        Depth = _network.Depth;
    }

    /// <summary>Mean photons per mode of every frame.</summary>
    public double Photons => _channel.Photons;

    /// <summary>Transmission of the channel the light crosses to the clients.</summary>
    public double Transmission => _channel.Transmission;

    /// <summary>Largest batch one request may ask for.</summary>
    public int MaxQueriesPerRequest { get; }

    /// <summary>Most weight bits per weight a client may accumulate in any layer; null for no limit.</summary>
    public double? WeightBudget { get; }

    /// <summary>How the many copies of one frame are charged.</summary>
    public WeightAccounting Accounting { get; }

    /// <summary>What every client's frames could reveal of the weights so far, per layer.</summary>
    public LeakageAccountant Leakage { get; }

    /// <summary>Inputs the model takes.</summary>
    public int InputSize { get; }

    /// <summary>Layers of the model.</summary>
    public int Depth { get; }

    /// <summary>Requests issued and not yet finished.</summary>
    public int Outstanding => _outstanding.Count;

    /// <summary>
    /// Encodes every layer with <paramref name="queries"/> copies for <paramref name="clientId"/> and
    /// charges them to its weight account; throws <see cref="RequestRefused"/> when it may not have them.
    /// </summary>
    public IssuedFrames Issue(string clientId, int queries)
    {
        if (string.IsNullOrWhiteSpace(clientId)) throw new RequestRefused("a frame request must name its client");
        if (_flagged.TryGetValue(clientId, out var flagged)) throw new RequestRefused($"client {clientId} was flagged by the verifier: {flagged}");
        if (queries < 1 || queries > MaxQueriesPerRequest)
            throw new RequestRefused($"client {clientId} asked for {queries} queries; a request may ask for 1 to {MaxQueriesPerRequest}");
        if (Holding(clientId) is { } held)
            throw new RequestRefused($"client {clientId} still holds request {held.RequestId}; it is being checked", final: false);
        var cost = LeakageCost.Of(_shape, _channel, queries, backwardUses: 0, passesPerSample: 1, Accounting);
        if (Leakage.WouldExceedWeights(clientId, cost, WeightBudget))
            throw new RequestRefused($"{queries} more queries would take client {clientId} past the weight budget of {WeightBudget:G4} bits per weight ({Leakage.MaxWeightBits(clientId):G4} spent)");
        Leakage.ChargeWeights(clientId, cost);
        var layers = _network.Encode(Photons, queries);
        foreach (var layer in layers) layer.Light.PassThroughChannel(Transmission);
        var issued = new IssuedFrames(RequestIds.Next(), clientId, queries, layers);
        _outstanding.Add(issued.RequestId, issued);
        return issued;
    }

    /// <summary>The request <paramref name="clientId"/> holds, if any.</summary>
    public IssuedFrames? Holding(string clientId) => _outstanding.Values.FirstOrDefault(i => i.ClientId == clientId);

    /// <summary>Marks a request finished; a finished or unknown request is a violation.</summary>
    public IssuedFrames Finish(long requestId, string clientId)
    {
        if (!_outstanding.TryGetValue(requestId, out var issued))
            throw new ProtocolViolation($"request {requestId} is unknown or already finished");
        if (issued.ClientId != clientId)
            throw new ProtocolViolation($"request {requestId} belongs to client {issued.ClientId}, not {clientId}");
        _outstanding.Remove(requestId);
        return issued;
    }

    /// <summary>The verifier flagged the client's light: it gets no more frames.</summary>
    public void Flag(string clientId, string reason) => _flagged.TryAdd(clientId, reason);

    /// <summary>Why <paramref name="clientId"/> was flagged; null when it was not.</summary>
    public string? FlaggedReason(string clientId) => _flagged.GetValueOrDefault(clientId);

    /// <summary>Drops everything outstanding for a client that left; returns the requests dropped.</summary>
    public IReadOnlyList<long> Forget(string clientId)
    {
        var dropped = _outstanding.Values.Where(i => i.ClientId == clientId).Select(i => i.RequestId).ToArray();
        foreach (var id in dropped) _outstanding.Remove(id);
        return dropped;
    }
}
