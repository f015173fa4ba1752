using BenchmarkDotNet.Running;
using QSI.Benchmarks.Gemm;

// `-- gemm [rounds]` runs the side-by-side comparison with OpenBLAS (a Stopwatch harness: BenchmarkDotNet
// runs each benchmark in its own process, which cannot alternate the two sides); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "gemm")
    return GemmComparison.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
