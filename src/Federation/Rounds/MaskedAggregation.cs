using QSI.Federation.Privacy;

namespace QSI.Federation.Rounds;

/// <summary>
/// The server's side of secure aggregation in one fit phase (docs/FEDERATED.md): it collects a
/// public masking key from every client it issued a task to and relays them all once every one is
/// in; when the phase is settled it asks the survivors (the clients whose masked updates it will
/// sum) to reveal what removes their masks, and from their reveals unmasks the sum.
/// </summary>
public sealed class MaskedAggregation
{
    private readonly HashSet<string> _awaited;
    private readonly SortedDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AggregationReveal> _reveals = new(StringComparer.Ordinal);

    /// <summary>The secure aggregation of the clients given tasks, <paramref name="clients"/>.</summary>
    public MaskedAggregation(IEnumerable<string> clients) => _awaited = new HashSet<string>(clients, StringComparer.Ordinal);

    /// <summary>The keys collected, by client id.</summary>
    public IReadOnlyDictionary<string, byte[]> Keys => _keys;

    /// <summary>True once the keys have been relayed; keys arriving later are refused.</summary>
    public bool KeysRelayed { get; private set; }

    /// <summary>True when every client still taking part has sent its key.</summary>
    public bool KeysComplete => _awaited.All(_keys.ContainsKey);

    /// <summary>The clients asked to reveal; null until the phase is settled.</summary>
    public IReadOnlyList<string>? Survivors { get; private set; }

    /// <summary>Survivors whose reveal has not arrived.</summary>
    public IEnumerable<string> MissingReveals => Survivors?.Where(s => !_reveals.ContainsKey(s)) ?? [];

    /// <summary>Records <paramref name="client"/>'s key; false when it is not awaited or the keys are already relayed.</summary>
    public bool AddKey(string client, byte[] key)
    {
        if (KeysRelayed || !_awaited.Contains(client)) return false;
        _keys[client] = key;
        return true;
    }

    /// <summary>No key is awaited from <paramref name="client"/> any more (it declined, failed or left before sending one).</summary>
    public void Excuse(string client)
    {
        if (!_keys.ContainsKey(client)) _awaited.Remove(client);
    }

    /// <summary>Marks the keys relayed; from now on only the clients with a key can contribute.</summary>
    public IReadOnlyDictionary<string, byte[]> Relay()
    {
        KeysRelayed = true;
        return _keys;
    }

    /// <summary>
    /// Whom to ask to reveal: of <paramref name="countable"/> (the clients whose result would be
    /// used), those that masked against the relayed keys.
    /// </summary>
    public IReadOnlyList<string> SetSurvivors(IEnumerable<string> countable)
    {
        Survivors = [.. countable.Where(_keys.ContainsKey).Order(StringComparer.Ordinal)];
        return Survivors;
    }

    /// <summary>Records a survivor's reveal; false when it is not a survivor's.</summary>
    public bool AddReveal(AggregationReveal reveal)
    {
        if (Survivors is null || !Survivors.Contains(reveal.ClientId)) return false;
        _reveals[reveal.ClientId] = reveal;
        return true;
    }

    /// <summary>True when every survivor has revealed.</summary>
    public bool RevealsComplete => Survivors is not null && !MissingReveals.Any();

    /// <summary>The survivors' sample-weighted mean update, unmasked; null when there are no survivors.</summary>
    /// <exception cref="ArgumentException">A survivor's masked update or reveal is missing or does not fit.</exception>
    public float[]? Mean(IReadOnlyList<TaskProgress> tasks)
    {
        if (Survivors is not { Count: > 0 } survivors) return null;
        var byClient = tasks.ToDictionary(t => t.ClientId, StringComparer.Ordinal);
        var masked = survivors.ToDictionary(s => s, s => byClient[s].MaskedUpdate ?? throw new ArgumentException($"survivor {s} sent no masked update"), StringComparer.Ordinal);
        return SecureSum.Mean(masked, _reveals, survivors.ToDictionary(s => s, s => byClient[s].Samples, StringComparer.Ordinal));
    }
}
