namespace QSI.Federation.Models;

/// <summary>
/// A network's parameters as one flat vector, in the order of <see cref="Mlp.Parameters"/>:
/// the form in which updates travel and strategies aggregate.
/// </summary>
public static class ModelParameters
{
    /// <summary>A copy of every parameter of <paramref name="model"/>.</summary>
    public static float[] Flatten(Mlp model)
    {
        var flat = new float[model.ParameterCount];
        var offset = 0;
        foreach (var array in model.Parameters)
        {
            array.CopyTo(flat, offset);
            offset += array.Length;
        }
        return flat;
    }

    /// <summary>Overwrites the parameters of <paramref name="model"/> with <paramref name="flat"/>.</summary>
    public static void Assign(Mlp model, ReadOnlySpan<float> flat)
    {
        if (flat.Length != model.ParameterCount)
            throw new ArgumentException($"{flat.Length} values for a model of {model.ParameterCount} parameters", nameof(flat));
        var offset = 0;
        foreach (var array in model.Parameters)
        {
            flat.Slice(offset, array.Length).CopyTo(array);
            offset += array.Length;
        }
    }
}
