namespace QSI.Federation.Models;

/// <summary>
/// A network's architecture without its weights: what a client knows of the server's model.
/// </summary>
/// <param name="Sizes">Input size followed by each layer's output size, e.g. [784, 784, 10].</param>
/// <param name="Bias">Whether every layer carries a bias.</param>
public sealed record ModelShape(int[] Sizes, bool Bias)
{
    /// <summary>The shape of <paramref name="model"/>.</summary>
    public static ModelShape Of(Mlp model) =>
        new([model.InputSize, .. model.Layers.Select(l => l.Rows)], model.Layers[0].Bias is not null);

    /// <summary>Number of layers.</summary>
    public int Depth => Sizes.Length - 1;

    /// <summary>Total number of parameters.</summary>
    public long ParameterCount => Enumerable.Range(0, Depth).Sum(l => (long)Sizes[l + 1] * (Sizes[l] + (Bias ? 1 : 0)));

    /// <summary>A network of this shape with every parameter zero.</summary>
    public Mlp Zeros() => new(Enumerable.Range(0, Depth).Select(l => new DenseLayer(Sizes[l + 1], Sizes[l], Bias)));

    /// <summary>The sizes as the command line writes them, e.g. "784-784-10".</summary>
    public override string ToString() => string.Join('-', Sizes);
}
