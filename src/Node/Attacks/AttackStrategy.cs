using QSI.Protocol.Attacks;

namespace QSI.Node.Attacks;

/// <summary>
/// What <c>qsi attack --strategy</c> measures: a dishonest client's optics (<see cref="Attack"/>),
/// the <c>extract</c> estimator of an honest-looking client, or the curious server
/// (PROTOCOL.md section 5).
/// </summary>
internal abstract record AttackStrategy
{
    private const string ExtractName = "extract";
    private const string CuriousServerName = "curious-server";

    /// <summary>Queries of each series when <c>--frames</c> is not given.</summary>
    public const int DefaultFrames = 2000;

    /// <summary>Every strategy's form, for help text and errors.</summary>
    public static string Forms { get; } = $"{Attack.Forms}, {ExtractName}, {CuriousServerName}";

    private AttackStrategy()
    {
    }

    /// <summary>The canonical form NAME[:PARAM].</summary>
    public abstract string Spec { get; }

    /// <summary>Queries of each series by default.</summary>
    public virtual int Frames => DefaultFrames;

    /// <summary>Reads NAME[:PARAM]; an <see cref="ArgumentException"/> with a one-line message lists the forms.</summary>
    public static AttackStrategy Parse(string spec)
    {
        var name = spec.Split(':', 2)[0].Trim();
        var plain = !spec.Contains(':');
        if (name == ExtractName && plain) return new Extraction();
        if (name == CuriousServerName && plain) return new Curiosity();
        if (name is ExtractName or CuriousServerName) throw new ArgumentException($"strategy \"{spec}\": {name} takes no parameter; strategies are {Forms}");
        if (!Attack.Names.Contains(name)) throw new ArgumentException($"strategy \"{spec}\": no strategy is called \"{name}\"; strategies are {Forms}");
        try
        {
            return new Optical(Attack.Parse(spec));
        }
        catch (ArgumentException e)
        {
            // Attack's own message names the problem and the attacks' forms.
            throw new ArgumentException($"{e.Message.Replace($" (Parameter '{e.ParamName}')", "")}, {ExtractName}, {CuriousServerName}", e);
        }
    }

    /// <summary>A dishonest client's device.</summary>
    public sealed record Optical(Attack Attack) : AttackStrategy
    {
        /// <inheritdoc/>
        public override string Spec => Attack.Spec;
    }

    /// <summary>An honest device whose (input, estimate) pairs a curious client regresses the weights from.</summary>
    public sealed record Extraction : AttackStrategy
    {
        /// <inheritdoc/>
        public override string Spec => ExtractName;
    }

    /// <summary>An honest client whose returned light the server heterodynes for its input.</summary>
    public sealed record Curiosity : AttackStrategy
    {
        /// <summary>Queries by default: each is simulated mode by mode, some 10 ms for a 784-784-10 network.</summary>
        public const int DefaultCuriousFrames = 200;

        /// <inheritdoc/>
        public override string Spec => CuriousServerName;

        /// <inheritdoc/>
        public override int Frames => DefaultCuriousFrames;
    }
}
