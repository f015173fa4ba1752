using System.Buffers.Binary;
using System.Security.Cryptography;

namespace QSI.Federation.Serving;

/// <summary>
/// Identities of the requests, tasks and phases a server issues, and the seals it shares with
/// the verifier it chose: 63 bits from the operating system's cryptographic generator, so a
/// party that was not told one cannot guess it (docs/SECURITY.md).
/// </summary>
/// <remarks>
/// A message about a request is admitted only from the party the request was issued to; an
/// unguessable id keeps a party from answering for a request it never saw, even if it could
/// forge the sender of a message. Ids never influence a run's results, so randomness from
/// outside the run's seed does not break reproducibility.
/// </remarks>
public static class RequestIds
{
    /// <summary>A fresh positive identity.</summary>
    public static long Next()
    {
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var id = BinaryPrimitives.ReadInt64LittleEndian(bytes) & long.MaxValue;
            if (id != 0) return id;
        }
    }
}
