using System.Buffers.Binary;
using System.IO.Compression;
using QSI.Federation.Data;
using QSI.Node.Tests.Cluster;

namespace QSI.Node.Tests;

/// <summary>
/// Every file <c>qsi</c> reads, damaged the three ways a disk, a copy or a hand can damage it
/// (cut short, overwritten with garbage, of another format version), given to a real process:
/// it exits with 2 and one line on stderr naming the file and the problem. A damaged newest
/// checkpoint is passed over for the one before it.
/// </summary>
public sealed class CorruptFileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public CorruptFileTests() => _data = SyntheticMnist.WriteUnder(_temp, trainImages: 240, testImages: 40);

    public void Dispose() => _temp.Dispose();

    public enum Damage
    {
        Truncated,
        Garbage,
        WrongVersion,
    }

    [Theory]
    [InlineData(MnistFiles.TrainImages, Damage.Truncated, "truncated")]
    [InlineData(MnistFiles.TrainImages, Damage.Garbage, "bad IDX magic")]
    [InlineData(MnistFiles.TrainImages, Damage.WrongVersion, "bad IDX magic 0x00000804; expected 0x00000803")]
    [InlineData(MnistFiles.TrainLabels, Damage.Truncated, "truncated")]
    [InlineData(MnistFiles.TestLabels, Damage.Garbage, "bad IDX magic")]
    public async Task A_damaged_data_file_is_named_in_one_line(string file, Damage damage, string problem)
    {
        var path = Path.Combine(_data, file);
        Spoil(path, damage, versionAt: 3);

        var line = await UsageError("train", "--hidden", "8", "--epochs", "1", "--out", _temp.Combine("m.qsim"), "--data", _data);

        Assert.Contains($"dataset file {path}: ", line);
        Assert.Contains(problem, line);
    }

    [Fact]
    public async Task A_damaged_file_in_the_mnist_cache_is_named_in_one_line()
    {
        var package = _temp.Combine("cache", MnistPackage.Pinned.CacheFolderName);
        Directory.CreateDirectory(package);
        SyntheticMnist.Write(package, trainImages: 240, testImages: 40);
        var path = Path.Combine(package, MnistFiles.TestImages);
        Spoil(path, Damage.Truncated, versionAt: 3);
        var model = TrainedModel();

        var line = await UsageError("infer", "--model", model, "--photons", "4", "--gain", "2", "--limit", "5", "--cache", _temp.Combine("cache"));

        Assert.Contains($"dataset file {path}: truncated", line);
    }

    [Theory]
    [InlineData(Damage.Truncated, "truncated")]
    [InlineData(Damage.Garbage, "not a QSI model")]
    [InlineData(Damage.WrongVersion, "unsupported format version 2")]
    public async Task A_damaged_model_file_is_named_in_one_line(Damage damage, string problem)
    {
        var model = TrainedModel();
        Spoil(model, damage, versionAt: 4);

        var line = await UsageError("infer", "--model", model, "--photons", "4", "--gain", "2", "--limit", "5", "--data", _data);

        Assert.Contains($"Model file '{model}'", line);
        Assert.Contains(problem, line);
    }

    [Theory]
    [InlineData("qsi.simulate { rounds = 2, strategy = fed", "not valid HOCON: the '{' opened on line 1 is never closed")]
    [InlineData("qsi.simulate { hidden = [8, 4", "not valid HOCON: the '[' opened on line 1 is never closed")]
    [InlineData("qsi.simulate = 3", "qsi.simulate must be a section")]
    [InlineData(null, "not valid HOCON")]
    public async Task A_damaged_config_file_is_named_in_one_line(string? text, string problem)
    {
        var config = _temp.Combine("run.hocon");
        if (text is null) File.WriteAllBytes(config, Garbage(600, seed: 3));
        else File.WriteAllText(config, text);

        var line = await UsageError([.. SimulateTests.Small(_data, _temp.Combine("run"), "--plain", "--rounds", "1", "--json"), "--config", config]);

        Assert.Contains($"config file {config}: ", line);
        Assert.Contains(problem, line);
        Assert.True(line.Length < 300, line);
    }

    [Fact]
    public async Task A_run_folder_with_a_damaged_flag_file_is_refused_in_one_line()
    {
        var folder = RunOfTwoRounds();
        var conf = Path.Combine(folder, "run.conf");
        File.WriteAllText(conf, File.ReadAllText(conf)[..^3]);

        var line = await UsageError("simulate", "--resume", folder, "--rounds", "3", "--json");

        Assert.Contains($"config file {conf}: not valid HOCON", line);
    }

    [Theory]
    [InlineData(Damage.Truncated)]
    [InlineData(Damage.Garbage)]
    [InlineData(Damage.WrongVersion)]
    public async Task A_damaged_newest_checkpoint_is_passed_over_for_the_one_before_it_saying_so(Damage damage)
    {
        var folder = RunOfTwoRounds();
        var newest = Path.Combine(folder, "checkpoints", "round-0002.zip");
        SpoilCheckpoint(newest, damage);

        using var qsi = QsiProcess.Start("simulate", "--resume", folder, "--rounds", "3", "--json");
        Assert.True(await qsi.WaitForExit(Patience), qsi.Stderr);

        Assert.True(qsi.ExitCode == 0, qsi.Stderr);
        var warning = Assert.Single(Lines(qsi.Stderr), l => l.StartsWith("qsi: warning: ", StringComparison.Ordinal));
        Assert.Contains($"checkpoint {newest} is damaged", warning);
        Assert.Contains($"resuming from the one before it, {Path.Combine(folder, "checkpoints", "round-0001.zip")}", warning);
        Assert.Equal(1, new QsiRun(0, qsi.Stdout, "").Json.GetProperty("resumedFrom").GetInt32());
        Assert.Equal(["round-0002.zip", "round-0003.zip"], Directory.GetFiles(Path.Combine(folder, "checkpoints")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task When_every_checkpoint_kept_is_damaged_the_newest_is_named_in_one_line()
    {
        var folder = RunOfTwoRounds();
        var newest = Path.Combine(folder, "checkpoints", "round-0002.zip");
        SpoilCheckpoint(newest, Damage.Garbage);
        SpoilCheckpoint(Path.Combine(folder, "checkpoints", "round-0001.zip"), Damage.Truncated);

        var line = await UsageError("simulate", "--resume", folder, "--rounds", "3", "--json");

        Assert.Contains($"checkpoint {newest}: ", line);
        Assert.Contains("the older checkpoint kept cannot be read either", line);
    }

    /// <summary>Runs a real <c>qsi</c>, asserts exit 2 with exactly one line on stderr, and returns it.</summary>
    private static async Task<string> UsageError(params string[] args)
    {
        using var qsi = QsiProcess.Start(args);
        Assert.True(await qsi.WaitForExit(Patience), $"qsi {string.Join(' ', args)} did not exit: {qsi.Stderr}");
        Assert.True(qsi.ExitCode == 2, $"exit {qsi.ExitCode}: {qsi.Stderr}");
        var line = Assert.Single(Lines(qsi.Stderr));
        Assert.StartsWith("qsi: error: ", line);
        return line;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string TrainedModel()
    {
        var model = _temp.Combine($"model-{Guid.NewGuid():N}.qsim");
        var run = Qsi.Run("train", "--hidden", "8", "--epochs", "1", "--out", model, "--data", _data, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return model;
    }

    private string RunOfTwoRounds()
    {
        var folder = _temp.Combine($"run-{Guid.NewGuid():N}");
        var run = Qsi.Run([.. SimulateTests.Small(_data, folder, "--plain", "--rounds", "2", "--test-limit", "20", "--json")]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return folder;
    }

    /// <summary>
    /// Damages a binary file: cut to a third, overwritten with as many random bytes, or with the
    /// byte at <paramref name="versionAt"/> (the low byte of its format version or IDX type code) raised by one.
    /// </summary>
    private static void Spoil(string path, Damage damage, int versionAt)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case Damage.Truncated:
                File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
                break;
            case Damage.Garbage:
                File.WriteAllBytes(path, Garbage(bytes.Length, seed: 1));
                break;
            case Damage.WrongVersion:
                bytes[versionAt]++;
                File.WriteAllBytes(path, bytes);
                break;
        }
    }

    /// <summary>A checkpoint cut short, overwritten with garbage, or rewritten as format 2.</summary>
    private static void SpoilCheckpoint(string path, Damage damage)
    {
        if (damage != Damage.WrongVersion)
        {
            Spoil(path, damage, versionAt: 0);
            return;
        }
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("checkpoint.json")!;
        string json;
        using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("checkpoint.json").Open());
        writer.Write(json.Replace("\"format\": 1", "\"format\": 2"));
    }

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        // Not by chance a valid header: the first word is no IDX magic, no QSIM, no zip.
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xDEADBEEF);
        return bytes;
    }
}
