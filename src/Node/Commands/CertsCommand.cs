using System.CommandLine;
using QSI.Node.Door;

namespace QSI.Node.Commands;

/// <summary>
/// <c>qsi certs</c>: the cluster's certificates. <c>init</c> makes the cluster CA; <c>issue</c>
/// signs one certificate per node, naming its roles and hosts (docs/OPERATIONS.md).
/// </summary>
internal sealed class CertsCommand : Command
{
    /// <summary>Validity of a CA certificate unless told otherwise: ten years.</summary>
    public const int DefaultAuthorityDays = 3650;

    /// <summary>Validity of a node certificate unless told otherwise: one year.</summary>
    public const int DefaultNodeDays = 365;

    public CertsCommand(Terminal terminal)
        : base("certs", "Make the cluster CA and the node certificates the nodes' mutual TLS needs.")
    {
        Subcommands.Add(new InitCommand(terminal));
        Subcommands.Add(new IssueCommand(terminal));
    }

    private static Option<string> Directory(string description) => new("--dir")
    {
        Description = description,
        Required = true,
        HelpName = "DIR",
    };

    private static Option<int> Days(int defaultDays, string what) => CheckedOptions.Integer(
        "--days", "N", $"Days {what} is valid from now (default {defaultDays}).", minimum: 1, defaultValue: defaultDays);

    private sealed class InitCommand : Command
    {
        private readonly Terminal _terminal;
        private readonly Option<string> _dir = Directory("Directory to write ca.crt (the CA certificate every node trusts) and ca.key (the CA's private key; keep it off the nodes) into; made if missing.");
        private readonly Option<int> _days = Days(DefaultAuthorityDays, "the CA");
        private readonly Option<string> _name = new("--name")
        {
            Description = "Common name of the CA (default: qsi cluster CA).",
            DefaultValueFactory = _ => "qsi cluster CA",
            HelpName = "NAME",
        };

        public InitCommand(Terminal terminal)
            : base("init", "Make a new cluster CA: an ECDSA P-256 key and its self-signed certificate, as ca.key and ca.crt in --dir.")
        {
            _terminal = terminal;
            Options.Add(_dir);
            Options.Add(_days);
            Options.Add(_name);
            SetAction(Run);
        }

        private int Run(ParseResult parse)
        {
            var dir = CreateDirectory(parse.GetValue(_dir)!);
            var now = DateTimeOffset.UtcNow;
            using var authority = ClusterAuthority.Create(parse.GetValue(_name)!, now.AddMinutes(-5), now.AddDays(parse.GetValue(_days)));
            var certificate = Path.Combine(dir, NodeCertificateFiles.AuthorityCertificate);
            NodeCertificateFiles.Write(authority, certificate, Path.Combine(dir, NodeCertificateFiles.AuthorityKey));
            _terminal.Error.WriteLine($"qsi certs: cluster CA {certificate} valid until {authority.NotAfter.ToUniversalTime():yyyy-MM-dd}; give it to every node with --ca");
            return ExitCodes.Success;
        }
    }

    private sealed class IssueCommand : Command
    {
        private readonly Terminal _terminal;
        private readonly Argument<string> _role = new("ROLE")
        {
            Description = $"Role(s) the node may take: {string.Join(", ", NodeRoles.Known)}, or several comma-separated (server,verifier for 'qsi server --with-verifier').",
        };

        private readonly Argument<string> _name = new("NAME")
        {
            Description = "Name of the node; the files are NAME.crt and NAME.key.",
        };

        private readonly Option<string> _dir = Directory("Directory holding the CA (ca.crt, ca.key of 'qsi certs init'); NAME.crt and NAME.key are written there.");
        private readonly Option<string[]> _hosts = new("--host")
        {
            Description = "IP address or DNS name the node listens on, as its --host; repeat for several. Peers check it (default: 127.0.0.1).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "HOST",
        };

        private readonly Option<int> _days = Days(DefaultNodeDays, "the certificate");

        public IssueCommand(Terminal terminal)
            : base("issue", "Sign a certificate for one node with the cluster CA: it names the node's role(s) and host(s).")
        {
            _terminal = terminal;
            Arguments.Add(_role);
            Arguments.Add(_name);
            Options.Add(_dir);
            Options.Add(_hosts);
            Options.Add(_days);
            SetAction(Run);
        }

        private int Run(ParseResult parse)
        {
            var roles = NodeRoles.Parse(parse.GetValue(_role)!);
            var name = parse.GetValue(_name)!;
            if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.'))
            {
                throw new UserError($"node name '{name}' must be a plain file name (no /, no leading dot)");
            }

            var dir = parse.GetValue(_dir)!;
            var caCertificate = Path.Combine(dir, NodeCertificateFiles.AuthorityCertificate);
            var caKey = Path.Combine(dir, NodeCertificateFiles.AuthorityKey);
            if (!File.Exists(caCertificate) || !File.Exists(caKey))
            {
                throw new UserError($"no cluster CA in {dir} ({NodeCertificateFiles.AuthorityCertificate} and {NodeCertificateFiles.AuthorityKey}); make one with 'qsi certs init --dir {dir}'");
            }

            using var authority = NodeCertificateFiles.ReadWithKey(caCertificate, caKey, "CA certificate");
            var hosts = parse.GetValue(_hosts) is { Length: > 0 } given ? given : ["127.0.0.1"];
            var now = DateTimeOffset.UtcNow;
            using var certificate = ClusterAuthority.Issue(authority, name, roles, hosts, now.AddMinutes(-5), now.AddDays(parse.GetValue(_days)));
            var path = Path.Combine(dir, name + ".crt");
            NodeCertificateFiles.Write(certificate, path, Path.Combine(dir, name + ".key"));
            _terminal.Error.WriteLine($"qsi certs: {path} for roles [{string.Join(", ", roles)}] on [{string.Join(", ", hosts)}], "
                + $"valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; run the node with --cert {path} --ca {caCertificate}");
            return ExitCodes.Success;
        }
    }

    private static string CreateDirectory(string dir)
    {
        try
        {
            return System.IO.Directory.CreateDirectory(dir).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot make directory {dir}: {e.Message}", e);
        }
    }
}
