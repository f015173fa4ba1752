using System.Globalization;
using System.Text;
using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Rounds;

namespace QSI.Node.Runs;

/// <summary>One extract adversary's estimate of one layer after a round's fit task, beside the truth and the bounds.</summary>
/// <param name="Round">The round.</param>
/// <param name="ClientId">The curious client.</param>
/// <param name="Layer">The layer, from 0.</param>
/// <param name="RelativeError">|W^ - W| / |W| against the model the round's fit frames carried.</param>
/// <param name="BitsPerWeight">The Gaussian-channel information that error implies, -log2 of it.</param>
/// <param name="ExpectedRelativeError">The error the attacker itself expects, without knowing W.</param>
/// <param name="BoundBitsPerWeight">The tightest Holevo bound on the light behind the estimate.</param>
/// <param name="AccountBitsPerWeight">What the weight account charged for that light.</param>
internal sealed record ExtractionRow(int Round, string ClientId, int Layer, double RelativeError, double BitsPerWeight,
    double ExpectedRelativeError, double BoundBitsPerWeight, double AccountBitsPerWeight);

/// <summary>
/// Follows the extract adversaries of a simulated federation: after each round, each one's
/// estimate of the model of that round's fit frames against the model itself, which only the
/// simulation knows. Written to the run folder as extraction.csv.
/// </summary>
internal sealed class ExtractionTracker
{
    private const string Header = "round,clientId,layer,relativeError,bitsPerWeight,expectedRelativeError,boundBitsPerWeight,accountBitsPerWeight";

    private readonly IReadOnlyList<(string ClientId, CuriousClient Client)> _attackers;
    private readonly Mlp _truth;
    private float[] _roundModel;
    private readonly List<ExtractionRow> _rows = [];

    private ExtractionTracker(IReadOnlyList<(string, CuriousClient)> attackers, FederatedTraining training)
    {
        _attackers = attackers;
        _truth = training.Shape.Zeros();
        _roundModel = ModelParameters.Flatten(training.Model);
    }

    /// <summary>A tracker of the curious clients among <paramref name="conducts"/>; null when there are none.</summary>
    public static ExtractionTracker? For(IReadOnlyList<string> clients, IReadOnlyList<ClientConduct> conducts, FederatedTraining training)
    {
        var attackers = clients.Zip(conducts).Where(p => p.Second is CuriousClient).Select(p => (p.First, (CuriousClient)p.Second)).ToArray();
        return attackers.Length == 0 ? null : new ExtractionTracker(attackers, training);
    }

    /// <summary>Every row so far.</summary>
    public IReadOnlyList<ExtractionRow> Rows => _rows;

    /// <summary>The last round's rows, one per attacker and layer.</summary>
    public IReadOnlyList<ExtractionRow> Latest => _rows.Count == 0 ? [] : [.. _rows.Where(r => r.Round == _rows[^1].Round)];

    /// <summary>
    /// Round <paramref name="round"/> completed with <paramref name="parameters"/>: compares each attacker's
    /// estimate from its fit task with the model that task's frames carried (the one before this round).
    /// </summary>
    public void RoundCompleted(int round, float[] parameters)
    {
        ModelParameters.Assign(_truth, _roundModel);
        foreach (var (clientId, client) in _attackers)
        {
            if (client.TakeFitEstimate(round) is not { } estimates) continue;
            foreach (var estimate in estimates)
            {
                var extraction = LayerExtraction.Of(estimate, _truth.Layers[estimate.Layer]);
                _rows.Add(new ExtractionRow(round, clientId, estimate.Layer, extraction.RelativeError, extraction.BitsPerWeight,
                    estimate.ExpectedRelativeError, estimate.BoundBitsPerWeight, estimate.AccountBitsPerWeight));
            }
        }
        _roundModel = parameters;
    }

    /// <summary>extraction.csv.</summary>
    public string Csv()
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var r in _rows)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Round},{r.ClientId},{r.Layer},{r.RelativeError:R},{r.BitsPerWeight:R},{r.ExpectedRelativeError:R},{r.BoundBitsPerWeight:R},{r.AccountBitsPerWeight:R}"));
        return text.ToString();
    }
}
