using QSI.Protocol.Client;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Attacks;

/// <summary>
/// A dishonest client's apparatus: the optics of its <see cref="Attack"/> in front of an
/// amplify-and-split device, which it presents to the federation as the honest one. What it
/// measures beyond its outputs accumulates in <see cref="Knowledge"/>.
/// </summary>
public sealed class DishonestDevice : IClientDevice
{
    internal DishonestDevice(Attack attack, double announcedGain, SimulationPath path)
    {
        _ = new DeviceNoise(announcedGain);
        Attack = attack;
        AnnouncedGain = announcedGain;
        Noise = new DeviceNoise(attack.DeviceGain(announcedGain));
        Path = path;
    }

    /// <summary>What the client does.</summary>
    public Attack Attack { get; }

    /// <summary>The gain G the federation announced and the verifier expects.</summary>
    public double AnnouncedGain { get; }

    /// <summary>The noise budget of the amplifier it really has.</summary>
    public DeviceNoise Noise { get; }

    /// <summary>The simulation path used.</summary>
    public SimulationPath Path { get; }

    /// <summary>The attacker's estimates of the weights it measured.</summary>
    public Interception Knowledge { get; } = new();

    /// <inheritdoc/>
    public ReturnedLight? MeasureBatch(CoherentFrame frame, ReadOnlySpan<float> inputs, int count, Span<float> outputs, NoiseSource noise)
    {
        InputBatch.Check(frame, inputs, count, outputs);
        if (frame.AddedNoise != 0)
            throw new NotSupportedException("attacks are simulated behind a pure-loss channel; this frame's channel added noise");
        var light = frame.TakeCopies(count);
        var knowledge = Attack.Taps(light) is { } tapping ? Knowledge.Record(light, tapping) : null;
        var seen = Attack.TransmissionSeen(light.Transmission);
        ReturnedLight returned;
        if (Path == SimulationPath.ModeByMode)
        {
            var parts = new ReturnedLight[count];
            for (var b = 0; b < count; b++)
            {
                var direction = new InputDirection(inputs.Slice(b * frame.Columns, frame.Columns), light.Modes);
                var outcomes = knowledge is null ? null : new double[light.Rows * 2 * light.Modes];
                var frontEnd = Attack.FrontEnd(light, direction, outcomes, noise);
                parts[b] = DeviceOptics.MeasureUse(light, direction, Noise, seen, frontEnd, outputs.Slice(b * frame.Rows, frame.Rows), noise);
                if (outcomes is not null) knowledge!.AddUse(outcomes);
            }
            returned = ReturnedLight.Combine(parts);
        }
        else
        {
            using var batch = new InputBatch(light, inputs, count);
            returned = DeviceStatistics.Measure(light, batch, Noise, Attack.Incoming(light, batch, knowledge, noise), seen, outputs, noise);
        }
        // Kept light goes nowhere the verifier can reach.
        return Attack.ReturnsLight ? returned : null;
    }
}
