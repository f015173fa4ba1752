using System.CommandLine;

namespace QSI.Node;

/// <summary>The physical settings of the protocol (PROTOCOL.md section 3), with their allowed ranges.</summary>
internal static class ProtocolOptions
{
    /// <summary><c>--gain</c>: the client's amplifier gain G; required unless <paramref name="defaultValue"/> is given.</summary>
    public static Option<double> Gain(double? defaultValue = null) => CheckedOptions.Real(
        "--gain", "G", "Gain G of the client's phase-insensitive amplifier (above 1); G = 2 gives F = mu.",
        "a number above 1", g => g > 1, defaultValue);

    /// <summary><c>--photons</c>: mean photon number per mode; required unless <paramref name="defaultValue"/> is given.</summary>
    public static Option<double> Photons(double? defaultValue = null) => CheckedOptions.Real(
        "--photons", "MU", "Mean photon number mu per mode of the server's weight frames (above 0).",
        "a number above 0", mu => mu > 0, defaultValue);

    /// <summary><c>--false-alarm</c>: the verifier's per-check false-alarm rate.</summary>
    public static Option<double> FalseAlarm() => CheckedOptions.Real(
        "--false-alarm", "RATE", "Probability that the verifier flags an honest client in one check (one check per image), in (0, 1).",
        "a number in (0, 1)", rate => rate is > 0 and < 1, defaultValue: 0.01);

    /// <summary><c>--transmission</c>: transmission of the server-to-client channel.</summary>
    public static Option<double> Transmission() => CheckedOptions.Real(
        "--transmission", "T", "Transmission T of the channel from server to client, in (0, 1]; 1 is lossless.",
        "a number in (0, 1]", t => t is > 0 and <= 1, defaultValue: 1);
}
