using QSI.Federation.Adversaries;
using QSI.Federation.Models;
using QSI.Federation.Strategies;
using QSI.Protocol.Client;
using QSI.Protocol.Optics;

namespace QSI.Federation.Rounds;

/// <summary>
/// How a client conducts itself in a federation: the device its light goes through, what it
/// keeps of its own measurements, the labels it trains on, the update it sends, and what it
/// reports of a task. The honest conduct is this
/// class's defaults; each adversary (<see cref="Adversaries.Adversary"/>) overrides what it does
/// differently, and only with acts a client could really commit: another optical device, its own
/// estimator, or messages it could send. The rest of the client runs the same code either way.
/// </summary>
public class ClientConduct
{
    /// <summary>The honest client.</summary>
    public static ClientConduct Honest { get; } = new();

    /// <summary>The conduct's name, as <c>--adversary</c> takes it ("honest" for none).</summary>
    public virtual string Spec => "honest";

    /// <summary>
    /// The device the client puts light through, announcing <paramref name="gain"/>, whose homodyne is
    /// <paramref name="detector"/> (ideal by default; trusted, so the client corrects its estimates for it).
    /// </summary>
    public virtual IClientDevice Device(double gain, SimulationPath path, Detector detector = default) => new ClientDevice(gain, path, detector);

    /// <summary>What sees the client's own measurements of a model of <paramref name="shape"/>; null for nothing.</summary>
    public virtual IMeasurementObserver? Observer(ModelShape shape, double gain) => null;

    /// <summary>
    /// The labels the client trains on, given its own <paramref name="labels"/> and the
    /// <paramref name="classes"/> the model tells apart: its own, unless it poisons its data.
    /// </summary>
    public virtual byte[] TrainingLabels(byte[] labels, int classes) => labels;

    /// <summary>
    /// The update the client sends of a fit task: <paramref name="trained"/>, what its local
    /// training produced, unless it poisons it. <paramref name="seed"/> seeds whatever it draws
    /// (one stream per client and round).
    /// </summary>
    public virtual ClientUpdate Update(ClientUpdate trained, int seed) => trained;

    /// <summary>What the client reports of a task it has done honestly: <paramref name="done"/> itself, unless it lies.</summary>
    public virtual ClientTaskResult Report(ClientTaskResult done) => done;
}
