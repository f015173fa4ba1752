using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace QSI.Node.Door;

/// <summary>
/// The cluster roles a node certificate names: one subject-alternative-name URI per role,
/// <c>urn:qsi:role:server</c>, so the role is signed by the cluster CA with the rest of the
/// certificate and a node cannot claim a role its certificate does not carry.
/// </summary>
internal static class NodeRoles
{
    /// <summary>The roles a certificate may name.</summary>
    public static readonly IReadOnlyList<string> Known = ["server", "verifier", "client"];

    private const string UriPrefix = "urn:qsi:role:";
    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The SAN URI that names <paramref name="role"/>.</summary>
    public static string Uri(string role) => UriPrefix + role;

    /// <summary>
    /// Parses a comma-separated role list ("server,verifier").
    /// </summary>
    /// <exception cref="UserError">A role is not one of <see cref="Known"/>, or the list is empty.</exception>
    public static IReadOnlyList<string> Parse(string text)
    {
        var roles = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        if (roles.Length == 0) throw new UserError($"no role given; name one or more of {string.Join(", ", Known)} (comma-separated)");
        foreach (var role in roles)
        {
            if (!Known.Contains(role)) throw new UserError($"unknown role '{role}'; a certificate names one or more of {string.Join(", ", Known)}");
        }

        return roles;
    }

    /// <summary>The roles <paramref name="certificate"/> names; none when it has no role URI.</summary>
    public static IReadOnlySet<string> Of(X509Certificate2 certificate)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAlternativeNameOid) continue;
            try
            {
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    if (names.PeekTag() == UriTag)
                    {
                        var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
                        if (uri.StartsWith(UriPrefix, StringComparison.Ordinal) && Known.Contains(uri[UriPrefix.Length..])) roles.Add(uri[UriPrefix.Length..]);
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed name list names no role.
                return new HashSet<string>();
            }
        }

        return roles;
    }
}
