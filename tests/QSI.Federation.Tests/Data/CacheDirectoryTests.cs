using QSI.Federation.Data;

namespace QSI.Federation.Tests.Data;

public sealed class CacheDirectoryTests
{
    private const string Variable = "XDG_CACHE_HOME";

    // The only test reading XDG_CACHE_HOME; it restores the variable so no other test sees the change.
    [Fact]
    public void Default_cache_follows_XDG_CACHE_HOME_then_the_home_directory()
    {
        var original = Environment.GetEnvironmentVariable(Variable);
        try
        {
            var xdg = Path.Combine(Path.GetTempPath(), "xdg-cache");
            Environment.SetEnvironmentVariable(Variable, xdg);
            Assert.Equal(Path.Combine(xdg, "qsi"), MnistSource.DefaultCacheDirectory);

            Environment.SetEnvironmentVariable(Variable, "relative/cache");
            var fallback = OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "qsi")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "qsi");
            Assert.Equal(fallback, MnistSource.DefaultCacheDirectory);

            Environment.SetEnvironmentVariable(Variable, null);
            Assert.Equal(fallback, MnistSource.DefaultCacheDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, original);
        }
    }
}
