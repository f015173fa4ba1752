using QSI.Federation.Rounds;
using QSI.Federation.Strategies;

namespace QSI.Federation.Adversaries;

/// <summary>
/// The <c>signflip</c> adversary: a client that trains honestly and sends the opposite of its
/// update, pushing the model up the loss as far as its honest step would have pushed it down.
/// Its light is honest: the verifier has nothing to flag (docs/SECURITY.md, "Uploads: Byzantine clients").
/// </summary>
public sealed class SignFlippingClient : ClientConduct
{
    /// <inheritdoc/>
    public override string Spec => "signflip";

    /// <inheritdoc/>
    public override ClientUpdate Update(ClientUpdate trained, int seed) => ScalingClient.Scaled(trained, -1);
}
