using System.CommandLine;
using QSI.Federation.Data;
using QSI.Federation.Models;

namespace QSI.Node.Commands;

/// <summary>What <c>qsi infer</c> and <c>qsi curve</c> run on: a trained model and the test set (MNIST's, or a CSV table's, standardised with its training rows' statistics).</summary>
/// <param name="Model">The network, loaded from its model file.</param>
/// <param name="ModelPath">Full path of the model file.</param>
/// <param name="Images">The test set, or its first <c>--limit</c> images.</param>
internal sealed record InferenceInputs(Mlp Model, string ModelPath, LabeledImages Images)
{
    /// <summary>Loads the model, then the data, and checks that the two fit together.</summary>
    /// <exception cref="ModelFileException">The model file is missing or damaged.</exception>
    /// <exception cref="DatasetException">The data could not be read or fetched.</exception>
    /// <exception cref="UserError">The model does not take the data's inputs or does not output its classes.</exception>
    public static InferenceInputs Load(string modelPath, DataFlags flags, ParseResult parse, int? limit, Terminal terminal)
    {
        var fullPath = Path.GetFullPath(modelPath);
        // The model first: a typo in --model should not wait for (or trigger) a data download.
        var model = ModelFile.Load(fullPath);
        var data = flags.Load(parse, terminal);
        var test = data.Test;
        var (source, samples, inputs) = test.HoldsFeatures ? ("the table", "the table's rows", "features") : ("MNIST", "MNIST images", "pixels");
        if (model.InputSize != test.PixelsPerImage)
        {
            throw new UserError($"model {fullPath} takes {model.InputSize} inputs, but {samples} have {test.PixelsPerImage} {inputs}");
        }

        if (model.OutputSize != data.Classes)
        {
            throw new UserError($"model {fullPath} has {model.OutputSize} outputs, but {source} has {data.Classes} classes");
        }

        return new InferenceInputs(model, fullPath, limit is { } count ? test.Take(count) : test);
    }
}
