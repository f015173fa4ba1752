namespace QSI.Federation.Privacy;

/// <summary>
/// Leakage bounds of one layer for one client (PROTOCOL.md section 4), in bits: what the
/// client could learn of the layer's weights, and what the verifier's measurements could
/// reveal of the client's data in the layer's frames.
/// </summary>
/// <param name="WeightBitsPerWeight">Holevo information of the frames the client measured, per weight of the layer.</param>
/// <param name="InputBitsPerElement">Cramér-Rao information per element of the layer's input (the sample itself for layer 0).</param>
/// <param name="GradientBitsPerElement">Cramér-Rao information per element of the gradient the client sent through the transposed frame.</param>
public readonly record struct LayerLeakage(double WeightBitsPerWeight, double InputBitsPerElement, double GradientBitsPerElement)
{
    /// <summary>The data bits of the layer's most exposed vector.</summary>
    public double DataBitsPerElement => Math.Max(InputBitsPerElement, GradientBitsPerElement);

    /// <summary>Leakage adds up over uses (section 4, accumulation).</summary>
    public static LayerLeakage operator +(LayerLeakage a, LayerLeakage b) => new(
        a.WeightBitsPerWeight + b.WeightBitsPerWeight, a.InputBitsPerElement + b.InputBitsPerElement, a.GradientBitsPerElement + b.GradientBitsPerElement);
}
