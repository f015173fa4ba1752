using QSI.Federation.Data;
using QSI.Federation.Models;

namespace QSI.Node.Commands;

/// <summary>What <c>qsi infer</c> and <c>qsi curve</c> run on: a trained model and the test images.</summary>
/// <param name="Model">The network, loaded from its model file.</param>
/// <param name="ModelPath">Full path of the model file.</param>
/// <param name="Images">The test set, or its first <c>--limit</c> images.</param>
internal sealed record InferenceInputs(Mlp Model, string ModelPath, LabeledImages Images)
{
    /// <summary>Loads the model, then the data, and checks that the two fit together.</summary>
    /// <exception cref="ModelFileException">The model file is missing or damaged.</exception>
    /// <exception cref="DatasetException">The data could not be read or fetched.</exception>
    /// <exception cref="UserError">The model does not take MNIST images or does not output ten classes.</exception>
    public static InferenceInputs Load(string modelPath, string? dataDirectory, string? cacheDirectory, int? limit, Terminal terminal)
    {
        var fullPath = Path.GetFullPath(modelPath);
        // The model first: a typo in --model should not wait for (or trigger) a data download.
        var model = ModelFile.Load(fullPath);
        var test = MnistLoader.Load(dataDirectory, cacheDirectory, terminal).Test;
        if (model.InputSize != test.PixelsPerImage)
        {
            throw new UserError($"model {fullPath} takes {model.InputSize} inputs, but MNIST images have {test.PixelsPerImage} pixels");
        }

        if (model.OutputSize != MnistFiles.Classes)
        {
            throw new UserError($"model {fullPath} has {model.OutputSize} outputs, but MNIST has {MnistFiles.Classes} classes");
        }

        return new InferenceInputs(model, fullPath, limit is { } count ? test.Take(count) : test);
    }
}
