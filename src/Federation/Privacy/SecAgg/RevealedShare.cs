namespace QSI.Federation.Privacy.SecAgg;

/// <summary>Which of a peer's secrets a share is of.</summary>
public enum ShareKind
{
    /// <summary>Its self-mask seed b_v: revealed for a survivor, whose update is in the sum.</summary>
    SelfSeed = 0,

    /// <summary>Its masking key s_v^SK: revealed for a peer that fell out, whose update is not.</summary>
    MaskingKey = 1,
}

/// <summary>A share a client reveals to the server in the unmasking round: of <paramref name="Owner"/>'s secret of kind <paramref name="Kind"/>.</summary>
/// <param name="Owner">The peer whose secret it is a share of.</param>
/// <param name="Kind">Which secret.</param>
/// <param name="Share">The share (<see cref="ShamirShare.Encode"/>).</param>
public sealed record RevealedShare(string Owner, ShareKind Kind, byte[] Share);
