using QSI.Federation.Inference;
using QSI.Federation.Models;
using QSI.Protocol.Encoding;

namespace QSI.Federation.Serving;

/// <summary>Frames issued to one client for a batch of queries, one per layer.</summary>
/// <param name="RequestId">The issue's identity.</param>
/// <param name="ClientId">The client the light is for.</param>
/// <param name="Queries">Copies of each frame: queries the batch can serve.</param>
/// <param name="Layers">Light and reference of each layer.</param>
public sealed record IssuedFrames(long RequestId, string ClientId, int Queries, IReadOnlyList<EncodedLayer> Layers);

/// <summary>
/// The server's side of serving a model through light: encodes every layer for a batch of a
/// client's queries and remembers what is outstanding, per client, until it is finished or the
/// client leaves.
/// </summary>
public sealed class FrameIssuer
{
    private readonly OpticalNetwork _network;
    private readonly Dictionary<long, IssuedFrames> _outstanding = [];
    private long _lastRequest;

    /// <summary>Serves <paramref name="model"/> at <paramref name="photons"/> photons per mode.</summary>
    public FrameIssuer(Mlp model, double photons, int maxQueriesPerRequest = 1000, double transmission = 1)
    {
        if (transmission is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(transmission), transmission, "transmission must be in (0, 1]");
        Transmission = transmission;
        _network = new OpticalNetwork(model);
        Photons = photons;
        MaxQueriesPerRequest = maxQueriesPerRequest;
        InputSize = model.InputSize;
        Depth = _network.Depth;
    }

    /// <summary>Mean photons per mode of every frame.</summary>
    public double Photons { get; }

    /// <summary>Transmission of the channel the light crosses to the clients.</summary>
    public double Transmission { get; }

    /// <summary>Largest batch one request may ask for.</summary>
    public int MaxQueriesPerRequest { get; }

    /// <summary>Inputs the model takes.</summary>
    public int InputSize { get; }

    /// <summary>Layers of the model.</summary>
    public int Depth { get; }

    /// <summary>Requests issued and not yet finished.</summary>
    public int Outstanding => _outstanding.Count;

    /// <summary>Encodes every layer with <paramref name="queries"/> copies for <paramref name="clientId"/>.</summary>
    public IssuedFrames Issue(string clientId, int queries)
    {
        if (string.IsNullOrWhiteSpace(clientId)) throw new ProtocolViolation("a frame request must name its client");
        if (queries < 1 || queries > MaxQueriesPerRequest)
            throw new ProtocolViolation($"client {clientId} asked for {queries} queries; a request may ask for 1 to {MaxQueriesPerRequest}");
        var layers = _network.Encode(Photons, queries);
        foreach (var layer in layers) layer.Light.PassThroughChannel(Transmission);
        var issued = new IssuedFrames(++_lastRequest, clientId, queries, layers);
        _outstanding.Add(issued.RequestId, issued);
        return issued;
    }

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

    /// <summary>Drops everything outstanding for a client that left; returns the requests dropped.</summary>
    public IReadOnlyList<long> Forget(string clientId)
    {
        var dropped = _outstanding.Values.Where(i => i.ClientId == clientId).Select(i => i.RequestId).ToArray();
        foreach (var id in dropped) _outstanding.Remove(id);
        return dropped;
    }
}
