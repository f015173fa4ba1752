namespace QSI.Federation.Adversaries;

/// <summary>
/// A message a forging client sends beside (or instead of) what its task asks for: the server
/// must drop every one of them and count it (docs/SECURITY.md).
/// </summary>
public abstract record Forgery;

/// <summary>A verdict on its own light, sent to the server as though from the verifier, saying it passed.</summary>
public sealed record ClaimedVerdict : Forgery;

/// <summary>Its update sent under another client's name as well.</summary>
/// <param name="ClientId">The client it speaks for.</param>
public sealed record UpdateInTheNameOf(string ClientId) : Forgery;

/// <summary>Its messages of the last task sent again.</summary>
public sealed record ReplayOfLastTask : Forgery;
