using System.Collections.Concurrent;
using System.Security.Cryptography;
using Akka.Actor;
using QSI.Actors.Messages;

namespace QSI.Actors.Transfer.Streams;

/// <summary>What a ticket lets its bearer receive: one payload of one store, for one receiver, until it expires.</summary>
/// <param name="Id">The payload's id.</param>
/// <param name="Payload">The bytes to stream.</param>
/// <param name="Receiver">The address of the receiver's node, whose certificate (behind the door) must name its host.</param>
/// <param name="Expires">When the ticket stops being good.</param>
/// <param name="Store">The store to tell how the stream ended.</param>
internal sealed record StreamTicketGrant(BlobId Id, byte[] Payload, Address Receiver, DateTimeOffset Expires, IActorRef Store);

/// <summary>
/// The open tickets of a node: 32 random bytes each (<see cref="RandomNumberGenerator"/>), each
/// taken at most once. A token that is unknown, already taken, revoked or expired lets nothing through.
/// </summary>
internal sealed class StreamTickets(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, StreamTicketGrant> _open = new(StringComparer.Ordinal);

    /// <summary>Opens a ticket for <paramref name="grant"/>; returns its token.</summary>
    public byte[] Open(StreamTicketGrant grant)
    {
        var token = RandomNumberGenerator.GetBytes(Blobs.TokenBytes);
        _open[Key(token)] = grant;
        return token;
    }

    /// <summary>The expiry of a ticket opened now that is good for <paramref name="lifetime"/>.</summary>
    public DateTimeOffset ExpiryFrom(TimeSpan lifetime) => time.GetUtcNow() + lifetime;

    /// <summary>Takes the ticket of <paramref name="token"/>, once; null with the reason when it lets nothing through.</summary>
    public StreamTicketGrant? Take(ReadOnlySpan<byte> token, out string reason)
    {
        if (!_open.TryRemove(Key(token), out var grant))
        {
            reason = "its token is unknown, already used or revoked";
            return null;
        }
        if (time.GetUtcNow() > grant.Expires)
        {
            reason = $"its token expired at {grant.Expires:u}";
            return null;
        }
        reason = "";
        return grant;
    }

    /// <summary>Closes the ticket of <paramref name="token"/>, if it is still open.</summary>
    public void Revoke(ReadOnlySpan<byte> token) => _open.TryRemove(Key(token), out _);

    private static string Key(ReadOnlySpan<byte> token) => Convert.ToHexString(token);
}
