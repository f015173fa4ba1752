using QSI.Federation.Rounds;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>nan</c> adversary: a client that trains honestly, then reports an update whose first
/// value is NaN. Aggregated, the NaN would spread through the strategy to every weight of the
/// model; the server must reject it (<see cref="UpdateCheck"/>).
/// </summary>
public sealed class NanClient : ClientConduct
{
    /// <inheritdoc/>
    public override string Spec => "nan";

    /// <inheritdoc/>
    public override ClientTaskResult Report(ClientTaskResult done)
    {
        if (done.Update is not { Delta.Length: > 0 } update) return done;
        var delta = update.Delta.ToArray();
        delta[0] = float.NaN;
        return done with { Update = update with { Delta = delta } };
    }
}
