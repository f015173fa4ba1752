using Akka.Actor;
using Akka.Event;

namespace QSI.Actors.Conversation;

/// <summary>
/// The messages a party dropped because their sender may not send them (docs/SECURITY.md): every
/// one counted, each sender logged the first time only, so a flood of forgeries cannot flood the log.
/// </summary>
internal sealed class DroppedMessages(ILoggingAdapter log)
{
    private readonly HashSet<IActorRef> _logged = [];

    /// <summary>Messages dropped since the last <see cref="Take"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Drops a message <paramref name="what"/> describes, from <paramref name="sender"/>.</summary>
    public void Drop(IActorRef sender, string what)
    {
        Count++;
        if (_logged.Add(sender)) log.Warning("dropped {0}; further messages dropped from this sender are counted, not logged", what);
    }

    /// <summary>True when <paramref name="sender"/> is <paramref name="party"/>, the one that may send <paramref name="message"/>; otherwise drops it.</summary>
    public bool From(IActorRef? party, IActorRef sender, object message)
    {
        if (party is not null && sender.Equals(party)) return true;
        Drop(sender, $"{message.GetType().Name} from {Describe(sender)}, which may not send it");
        return false;
    }

    /// <summary>Returns the count of dropped messages and starts counting afresh.</summary>
    public int Take()
    {
        var count = Count;
        Count = 0;
        return count;
    }

    /// <summary>A sender as a log names it.</summary>
    public static string Describe(IActorRef sender) => sender.IsNobody() ? "no sender" : sender.Path.ToString();
}
