using System.Buffers.Binary;
using System.Security.Cryptography;
using QSI.Federation.Models;

namespace QSI.Federation.Tests.Models;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("qsim-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trip_is_bit_exact(bool bias)
    {
        Mlp model = Mlp.Create([7, 5, 4, 3], bias, new Random(9));
        // Values a lossy writer would get wrong: negative zero, a subnormal, extremes and a NaN payload.
        float[] w = model.Layers[0].Weights;
        w[0] = -0f;
        w[1] = float.Epsilon;
        w[2] = float.MaxValue;
        w[3] = BitConverter.Int32BitsToSingle(0x7FC01234);
        string path = Path.Combine(_directory, "model.qsim");

        ModelFile.Save(model, path);
        Mlp loaded = ModelFile.Load(path);

        Assert.Equal(model.Sizes, loaded.Sizes);
        for (int l = 0; l < model.Layers.Count; l++)
        {
            Assert.Equal(Bits(model.Layers[l].Weights), Bits(loaded.Layers[l].Weights));
            Assert.Equal(Bits(model.Layers[l].Bias), Bits(loaded.Layers[l].Bias));
        }
    }

    [Fact]
    public void File_has_the_documented_layout()
    {
        var model = new Mlp([new DenseLayer(2, 1, [1.5f, -2f], [0.25f, 0f])]);

        byte[] bytes = ModelFile.Serialize(model);

        Assert.Equal("QSIM"u8.ToArray(), bytes[..4]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(24)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(28)));
        Assert.Equal(0.25f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(32)));
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, 40))[..8], bytes[40..]);
        Assert.Equal(48, bytes.Length);
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_files()
    {
        string path = Path.Combine(_directory, "model.qsim");
        ModelFile.Save(Mlp.Create([3, 2], bias: false, new Random(1)), path);
        Mlp second = Mlp.Create([4, 4, 2], bias: true, new Random(2));

        ModelFile.Save(second, path);

        Assert.Equal([4, 4, 2], ModelFile.Load(path).Sizes);
        Assert.Equal(["model.qsim"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        string path = Path.Combine(_directory, "absent.qsim");

        AssertLoadFails(path, "file not found");
    }

    [Fact]
    public void Missing_directory_is_reported_as_a_missing_file()
    {
        AssertLoadFails(Path.Combine(_directory, "no-such-dir", "m.qsim"), "file not found");
    }

    [Fact]
    public void Wrong_magic_is_reported()
    {
        byte[] bytes = ValidBytes();
        "PK\u0003\u0004"u8.CopyTo(bytes);

        AssertLoadFails(Write(bytes), "not a QSI model (magic bytes 5153494D \"QSIM\" expected, found 504B0304)");
    }

    [Fact]
    public void Empty_file_is_reported_as_not_a_model()
    {
        AssertLoadFails(Write([]), "found an empty file");
    }

    [Fact]
    public void Unsupported_version_is_reported()
    {
        byte[] bytes = ValidBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 2);

        AssertLoadFails(Write(bytes), "unsupported format version 2 (this build reads version 1)");
    }

    [Theory]
    [InlineData(6, "truncated: 6 bytes end inside the format version")]
    [InlineData(14, "truncated: 14 bytes end inside the layer 0 rows")]
    [InlineData(30, "truncated: 30 bytes end inside the layer 0 weights")]
    [InlineData(100, "truncated: 100 bytes end inside the layer 1 weights")]
    [InlineData(-3, "end inside the checksum")]
    public void Truncated_file_is_reported(int length, string problem)
    {
        byte[] bytes = ValidBytes();
        int keep = length >= 0 ? length : bytes.Length + length;

        AssertLoadFails(Write(bytes[..keep]), problem);
    }

    [Fact]
    public void Flipped_weight_bit_is_caught_by_the_checksum()
    {
        byte[] bytes = ValidBytes();
        bytes[40] ^= 0x01;

        AssertLoadFails(Write(bytes), "checksum mismatch, the file is damaged");
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        AssertLoadFails(Write([.. ValidBytes(), 0, 0]), "2 unexpected bytes after the checksum");
    }

    [Theory]
    [InlineData(8, 0u, "implausible layer count 0 (expected 1..1024)")]
    [InlineData(8, 100000u, "implausible layer count 100000")]
    [InlineData(12, 0u, "implausible size 0x4 of layer 0")]
    [InlineData(16, 3000000u, "implausible size 3x3000000 of layer 0")]
    [InlineData(20, 6u, "unknown flags 0x00000006 in layer 0")]
    public void Implausible_header_fields_are_reported(int offset, uint value, string problem)
    {
        byte[] bytes = ValidBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);

        AssertLoadFails(Write(bytes), problem);
    }

    [Fact]
    public void Layers_that_do_not_chain_are_reported()
    {
        byte[] bytes = ValidBytes();
        // Layer 0 is 3x4 with bias: 12-byte header + 48 + 12 bytes; layer 1's columns follow its rows.
        int layer1 = 12 + 12 + 4 * (12 + 3);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(layer1 + 4), 5);

        AssertLoadFails(Write(bytes), "layer 1 has 5 inputs but layer 0 has 3 outputs");
    }

    private static byte[] ValidBytes() => ModelFile.Serialize(Mlp.Create([4, 3, 2], bias: true, new Random(1)));

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.qsim");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertLoadFails(string path, string problem)
    {
        var ex = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.StartsWith($"Model file '{path}': ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(path, ex.Path);
    }

    private static int[]? Bits(float[]? values) => values?.Select(BitConverter.SingleToInt32Bits).ToArray();
}
