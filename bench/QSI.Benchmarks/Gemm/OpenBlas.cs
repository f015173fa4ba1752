using System.Runtime.InteropServices;

namespace QSI.Benchmarks.Gemm;

/// <summary>
/// OpenBLAS's <c>cblas_sgemm</c> through P/Invoke, for comparison only: the product code never
/// loads it. Absent when no libopenblas is installed (Debian: <c>apt-get install libopenblas0-pthread</c>).
/// </summary>
internal sealed unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.so.0",
        "libopenblas.so",
        "libopenblas",
    ];

    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;

    private OpenBlas(nint handle, string path)
    {
        Path = path;
        _sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
            SetThreads = threads => ((delegate* unmanaged[Cdecl]<int, void>)setThreads)(threads);
        if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName))
            Core = Marshal.PtrToStringAnsi(((delegate* unmanaged[Cdecl]<nint>)coreName)()) ?? "?";
    }

    /// <summary>The file loaded.</summary>
    public string Path { get; }

    /// <summary>The kernel family OpenBLAS chose (set OPENBLAS_CORETYPE to override its detection).</summary>
    public string Core { get; } = "?";

    /// <summary>Caps OpenBLAS's threads, when the build exports the call.</summary>
    public Action<int> SetThreads { get; } = _ => { };

    /// <summary>Loads the library, or null when none of the usual names is present.</summary>
    public static OpenBlas? TryLoad()
    {
        foreach (var candidate in Candidates)
            if (NativeLibrary.TryLoad(candidate, out var handle) && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _))
                return new OpenBlas(handle, candidate);
        return null;
    }

    /// <summary>Row-major C = op(A) op(B), overwriting C, with the same layout flags as <see cref="QSI.Protocol.Numerics.Sgemm"/>.</summary>
    public void Multiply(int m, int n, int k, float[] a, int lda, bool transposeA, float[] b, int ldb, bool transposeB, float[] c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            _sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
    }
}
