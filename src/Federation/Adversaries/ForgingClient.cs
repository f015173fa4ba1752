using QSI.Federation.Rounds;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>forge</c> adversary: a client that trains honestly but never returns its light, and
/// instead tells the server it passed, sends its update under <paramref name="victim"/>'s name too,
/// and replays its last task's messages. Nothing of it may change the model or the records.
/// </summary>
/// <param name="victim">The client it speaks for.</param>
public sealed class ForgingClient(string victim) : ClientConduct
{
    /// <summary>The client it speaks for.</summary>
    public string Victim { get; } = victim;

    /// <inheritdoc/>
    public override string Spec => "forge";

    /// <inheritdoc/>
    public override ClientTaskResult Report(ClientTaskResult done) => done.Declined is not null ? done : done with
    {
        Residuals = [],
        Forgeries = done.Update is null
            ? [new ClaimedVerdict(), new ReplayOfLastTask()]
            : [new ClaimedVerdict(), new UpdateInTheNameOf(Victim), new ReplayOfLastTask()],
    };
}
