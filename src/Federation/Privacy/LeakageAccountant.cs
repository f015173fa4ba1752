namespace QSI.Federation.Privacy;

/// <summary>
/// The running leakage of every client, per layer, like a differential-privacy accountant
/// (PROTOCOL.md section 4, accumulation). A budget, when set, is the most any layer may reach.
/// </summary>
public sealed class LeakageAccountant
{
    private readonly int _layers;
    private readonly SortedDictionary<string, LayerLeakage[]> _spent = new(StringComparer.Ordinal);

    /// <summary>An accountant for networks of <paramref name="layers"/> layers.</summary>
    public LeakageAccountant(int layers) => _layers = layers;

    /// <summary>Every client charged so far, by id.</summary>
    public IEnumerable<string> Clients => _spent.Keys;

    /// <summary>What <paramref name="clientId"/> has been charged so far, per layer (zeros if nothing).</summary>
    public IReadOnlyList<LayerLeakage> Of(string clientId) =>
        _spent.TryGetValue(clientId, out var spent) ? spent : new LayerLeakage[_layers];

    /// <summary>Adds the weight part of <paramref name="cost"/> to the client's account.</summary>
    public void ChargeWeights(string clientId, IReadOnlyList<LayerLeakage> cost) =>
        Charge(clientId, cost, c => c with { InputBitsPerElement = 0, GradientBitsPerElement = 0 });

    /// <summary>Adds the data part of <paramref name="cost"/> to the client's account.</summary>
    public void ChargeData(string clientId, IReadOnlyList<LayerLeakage> cost) =>
        Charge(clientId, cost, c => c with { WeightBitsPerWeight = 0 });

    /// <summary>The client's most exposed layer's weight bits per weight.</summary>
    public double MaxWeightBits(string clientId) => Of(clientId).Max(l => l.WeightBitsPerWeight);

    /// <summary>The client's most exposed layer's data bits per element.</summary>
    public double MaxDataBits(string clientId) => Of(clientId).Max(l => l.DataBitsPerElement);

    /// <summary>Whether charging the weight part of <paramref name="cost"/> would take some layer past <paramref name="budget"/>.</summary>
    public bool WouldExceedWeights(string clientId, IReadOnlyList<LayerLeakage> cost, double? budget) =>
        budget is { } b && Of(clientId).Zip(cost).Any(p => p.First.WeightBitsPerWeight + p.Second.WeightBitsPerWeight > b);

    /// <summary>Whether charging the data part of <paramref name="cost"/> would take some layer past <paramref name="budget"/>.</summary>
    public bool WouldExceedData(string clientId, IReadOnlyList<LayerLeakage> cost, double? budget) =>
        budget is { } b && Of(clientId).Zip(cost).Any(p => (p.First + p.Second).DataBitsPerElement > b);

    /// <summary>Sets a client's account, as a checkpoint recorded it.</summary>
    public void Restore(string clientId, IReadOnlyList<LayerLeakage> spent)
    {
        if (spent.Count != _layers) throw new ArgumentException($"an account of {spent.Count} layers for a network of {_layers}", nameof(spent));
        _spent[clientId] = [.. spent];
    }

    private void Charge(string clientId, IReadOnlyList<LayerLeakage> cost, Func<LayerLeakage, LayerLeakage> part)
    {
        if (cost.Count != _layers) throw new ArgumentException($"a cost of {cost.Count} layers for a network of {_layers}", nameof(cost));
        if (!_spent.TryGetValue(clientId, out var spent)) _spent[clientId] = spent = new LayerLeakage[_layers];
        for (var l = 0; l < _layers; l++) spent[l] += part(cost[l]);
    }
}
