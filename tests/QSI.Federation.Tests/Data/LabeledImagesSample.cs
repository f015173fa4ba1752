using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

/// <summary>A labelled image set as the flat arrays training takes.</summary>
internal sealed class LabeledImagesSample(LabeledImages images)
{
    public float[] Inputs { get; } = images.NormalizedInputs();

    public byte[] Labels { get; } = images.Labels.ToArray();
}
