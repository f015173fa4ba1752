using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using QSI.Federation.Models;
using QSI.Federation.Privacy;
using QSI.Federation.Storage;
using QSI.Federation.Strategies;

namespace QSI.Federation.Rounds;

/// <summary>A checkpoint file could not be read; the message names the file and the problem in one line.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : Exception($"checkpoint {path}: {problem}".ReplaceLineEndings(" "), inner)
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it, in one line without a final period.</summary>
    public string Problem { get; } = problem.ReplaceLineEndings(" ").TrimEnd('.');
}

/// <summary>
/// Writes and reads <see cref="TrainingCheckpoint"/>s as zip archives (docs/FEDERATED.md):
/// <c>checkpoint.json</c> (format, the seed and the rounds completed, which are the run's random
/// state, leakage accounts, the strategy's scalars, the metrics history), <c>parameters.qsip</c> (the model) and one <c>strategy/NAME.qsip</c> per
/// vector of the strategy's memory, the vectors in the parameters' wire form. A zip keeps a
/// checkpoint inspectable with standard tools; writes are atomic.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The format this code writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The JSON conventions of checkpoints and run metrics: camelCase fields, enums as camelCase names.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record Manifest(
        int Format, int Seed, int CompletedRounds, int ParameterCount, IReadOnlyDictionary<string, double> StrategyScalars,
        IReadOnlyList<string> StrategyVectors, IReadOnlyDictionary<string, LayerLeakage[]> Leakage, IReadOnlyList<RoundRecord> History);

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(TrainingCheckpoint checkpoint, string path)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var vectors = checkpoint.Strategy.Vectors.Keys.Order(StringComparer.Ordinal).ToArray();
            var manifest = new Manifest(FormatVersion, checkpoint.Seed, checkpoint.CompletedRounds, checkpoint.Parameters.Length,
                checkpoint.Strategy.Scalars, vectors, checkpoint.Leakage, checkpoint.History);
            Add(zip, "checkpoint.json", JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
            Add(zip, "parameters.qsip", ModelParameters.Encode(checkpoint.Parameters));
            foreach (var name in vectors) Add(zip, $"strategy/{name}.qsip", ModelParameters.Encode(checkpoint.Strategy.Vectors[name]));
        }
        AtomicFile.Write(path, buffer.ToArray());
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing, damaged or of another format.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var manifest = JsonSerializer.Deserialize<Manifest>(Read(zip, "checkpoint.json"), Json)
                ?? throw new CheckpointException(path, "checkpoint.json is empty");
            if (manifest.Format != FormatVersion) throw new CheckpointException(path, $"format {manifest.Format} is not supported; expected {FormatVersion}");
            if (manifest.History?.Any(r => r?.Fit is null || r.Evaluate is null) == true) throw new CheckpointException(path, "checkpoint.json has a damaged round in its history");
            if (manifest.Leakage?.Values.Any(layers => layers is null) == true) throw new CheckpointException(path, "checkpoint.json has a damaged leakage account");
            var parameters = ModelParameters.Decode(Read(zip, "parameters.qsip"), manifest.ParameterCount);
            var vectors = (manifest.StrategyVectors ?? []).ToDictionary(
                name => name, name => Decode(Read(zip, $"strategy/{name}.qsip")));
            return new TrainingCheckpoint(manifest.Seed, manifest.CompletedRounds, parameters,
                new StrategyState(vectors, manifest.StrategyScalars ?? new Dictionary<string, double>()),
                manifest.Leakage ?? new Dictionary<string, LayerLeakage[]>(), manifest.History ?? []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException or FormatException or NotSupportedException)
        {
            throw new CheckpointException(path, e is FileNotFoundException or DirectoryNotFoundException ? "not found" : e.Message, e);
        }
    }

    private static float[] Decode(byte[] payload) =>
        ModelParameters.Decode(payload, payload.Length >= 12 ? BitConverter.ToInt32(payload, 8) : -1);

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(bytes);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{name} is missing");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
