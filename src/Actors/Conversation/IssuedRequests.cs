using Akka.Actor;
using Akka.Event;
using QSI.Actors.Messages;
using QSI.Federation.Serving;

namespace QSI.Actors.Conversation;

/// <summary>
/// Who may say what about the requests a server has issued (docs/SECURITY.md): each request is
/// bound to the member it was issued to (its actor, which names its cluster address) and to the
/// verifier chosen to check its light, and carries an unguessable id and a seal only the server
/// and that verifier know. A reply is admitted only from the request's member under the request's
/// client name; a verdict only from its verifier with its seal. Anything else (another client's
/// request, a finished or replayed one, a forged verdict) is dropped, logged once per sender, and
/// counted. Serving and training admit through this one rule.
/// </summary>
/// <typeparam name="T">What the server keeps about each request.</typeparam>
internal sealed class IssuedRequests<T>(ILoggingAdapter log)
{
    private readonly Dictionary<long, Issued> _issued = [];
    private readonly DroppedMessages _dropped = new(log);

    /// <summary>One issued request and the parties bound to it.</summary>
    public sealed record Issued(long RequestId, long Seal, string ClientId, IActorRef Client, IActorRef? Verifier, T State);

    /// <summary>Messages dropped since the last <see cref="TakeRejected"/>.</summary>
    public int Rejected => _dropped.Count;

    /// <summary>Every request outstanding.</summary>
    public IEnumerable<Issued> All => _issued.Values;

    /// <summary>Binds a request of <paramref name="requestId"/> to its parties, with a fresh seal.</summary>
    public Issued Add(long requestId, string clientId, IActorRef client, IActorRef? verifier, T state)
    {
        var issued = new Issued(requestId, RequestIds.Next(), clientId, client, verifier, state);
        _issued.Add(requestId, issued);
        return issued;
    }

    /// <summary>The request, if it is outstanding.</summary>
    public Issued? Find(long requestId) => _issued.GetValueOrDefault(requestId);

    /// <summary>
    /// The request a client's message is about, when <paramref name="sender"/> may say it: the member
    /// the request was issued to, naming the client it was issued for. Otherwise the message is rejected.
    /// </summary>
    public Issued? Reply(long requestId, string clientId, IActorRef sender, string what)
    {
        if (!_issued.TryGetValue(requestId, out var issued))
            return Reject(sender, $"{what} about request {requestId}, which is not outstanding (finished, replayed or never issued)");
        if (!issued.Client.Equals(sender) || issued.ClientId != clientId)
            return Reject(sender, $"{what} about request {requestId} of client {issued.ClientId}, from {Describe(sender)} naming client {clientId}");
        return issued;
    }

    /// <summary>The request a verdict is about, when it comes from the request's verifier with its seal; otherwise rejected.</summary>
    public Issued? Verdict(Verification.TaskVerdict verdict, IActorRef sender)
    {
        if (!_issued.TryGetValue(verdict.RequestId, out var issued))
            return Reject(sender, $"a verdict about request {verdict.RequestId}, which is not outstanding");
        if (issued.Verifier is null || !issued.Verifier.Equals(sender) || issued.Seal != verdict.Seal || issued.ClientId != verdict.ClientId)
            return Reject(sender, $"a verdict about request {verdict.RequestId} of client {issued.ClientId} that is not its verifier's (sender {Describe(sender)})");
        return issued;
    }

    /// <summary>Drops a message the rule does not admit: counted, and logged the first time its sender does it.</summary>
    public Issued? Reject(IActorRef sender, string what)
    {
        _dropped.Drop(sender, what);
        return null;
    }

    /// <summary>Returns the count of rejected messages and starts counting afresh.</summary>
    public int TakeRejected() => _dropped.Take();

    /// <summary>Ends a request: further messages about it are rejected.</summary>
    public Issued? Remove(long requestId) => _issued.Remove(requestId, out var issued) ? issued : null;

    private static string Describe(IActorRef sender) => DroppedMessages.Describe(sender);
}
