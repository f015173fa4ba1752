using QSI.Actors.Messages;
using QSI.Federation.Models;
using QSI.Federation.Rounds;
using QSI.Federation.Strategies;
using QSI.Federation.Training;
using QSI.Protocol.Encoding;
using QSI.Protocol.Transport;

namespace QSI.Actors.Roles;

/// <summary>
/// A task's light as the client reads it: decoded from the pulled payloads (frames or, for the
/// plain baseline, parameters) or handed over in process, and checked against the task's kind
/// and the model's shape either way.
/// </summary>
public sealed partial class TrainingClientActor
{
    /// <summary>Light handed over in process, checked to be of the task's kind and the model's shape.</summary>
    private static TaskLight Checked(Training.Task task, TaskLight light, ModelShape shape)
    {
        switch (light)
        {
            case ClearTaskLight when task.Verifier is null:
                return light;
            case OpticalTaskLight optical when task.Verifier is not null:
                var fit = (TaskKind)task.Kind == TaskKind.Fit;
                var frames = optical.Frames;
                if (frames.Forward.Count != shape.Depth || Enumerable.Range(1, shape.Depth - 1).Any(l => (frames.Backward[l] is null) == fit))
                    throw new FormatException($"the light handed over does not fit a {((TaskKind)task.Kind).ToString().ToLowerInvariant()} task of a {shape.Depth}-layer model");
                return light;
            default:
                throw new FormatException($"a {(task.Verifier is null ? "plain" : "secure")} task's light handed over as {light.GetType().Name}");
        }
    }

    private static RoundTask RoundTaskOf(Training.Task task)
    {
        var plan = new LocalTrainingPlan
        {
            Epochs = task.Epochs, BatchSize = task.BatchSize, LearningRate = task.LearningRate, ProximalTerm = task.ProximalTerm, SingleStep = task.SingleStep,
        };
        return new RoundTask(task.Round, (TaskKind)task.Kind, plan, task.Samples, task.Passes) { Privacy = task.Privacy };
    }

    private static (RoundTask, TaskLight) Decode(Training.Task task, byte[][] payloads, ModelShape shape)
    {
        var roundTask = RoundTaskOf(task);
        if (task.Verifier is null)
        {
            if (payloads.Length != 1) throw new FormatException($"a plain task carries one parameter payload; this one carries {payloads.Length}");
            return (roundTask, new ClearTaskLight(ModelParameters.Decode(payloads[0], shape.ParameterCount)));
        }
        var frames = payloads.Select(p => LightWire.DecodeFrame(p)).ToArray();
        var backward = roundTask.Kind == TaskKind.Fit ? shape.Depth - 1 : 0;
        if (frames.Length != shape.Depth + backward)
            throw new FormatException($"a {roundTask.Kind.ToString().ToLowerInvariant()} task of a {shape.Depth}-layer model carries {shape.Depth + backward} frames; this one carries {frames.Length}");
        var transposed = new CoherentFrame?[shape.Depth];
        for (var l = 1; l <= backward; l++) transposed[l] = frames[shape.Depth + l - 1];
        return (roundTask, new OpticalTaskLight(new RoundFrames(frames[..shape.Depth], transposed)));
    }
}
