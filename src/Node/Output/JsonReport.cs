using System.Text.Json;

namespace QSI.Node.Output;

/// <summary>
/// Writes a command's result as one JSON object. Field names are the camelCase names of the report
/// records' properties, in declaration order; they are the product's interface, so rename none.
/// </summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Serializes <paramref name="report"/> to <paramref name="output"/>, followed by a newline.</summary>
    public static void Write<T>(TextWriter output, T report) =>
        output.WriteLine(JsonSerializer.Serialize(report, Options));
}
