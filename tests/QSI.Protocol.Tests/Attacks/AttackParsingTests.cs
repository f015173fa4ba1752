using QSI.Protocol.Attacks;

namespace QSI.Protocol.Tests.Attacks;

public class AttackParsingTests
{
    [Theory]
    [InlineData("tap:0.05", typeof(Tap))]
    [InlineData("tap-reamplify:0.2", typeof(TapReamplify))]
    [InlineData("overgain:6", typeof(OverGain))]
    [InlineData("intercept-resend", typeof(InterceptResend))]
    [InlineData("withhold", typeof(Withhold))]
    [InlineData("partial:0.5", typeof(PartialReturn))]
    public void Every_attack_reads_back_from_its_canonical_spec(string spec, Type type)
    {
        var attack = Attack.Parse(spec);
        Assert.IsType(type, attack);
        Assert.Equal(spec, attack.Spec);
        Assert.Equal(attack, Attack.Parse(attack.Spec));
    }

    [Fact]
    public void The_names_are_those_of_the_registry_in_the_order_of_the_protocol()
    {
        Assert.Equal(["tap", "tap-reamplify", "overgain", "intercept-resend", "withhold", "partial"], Attack.Names);
        foreach (var name in Attack.Names) Assert.Contains(name, Attack.Forms);
    }

    [Theory]
    [InlineData("tap", "tap needs a parameter: tap:r (0 < r < 1)")]
    [InlineData("tap:1.5", "1.5 is out of range: tap:r (0 < r < 1)")]
    [InlineData("partial:0", "0 is out of range: partial:f (0 < f < 1)")]
    [InlineData("overgain:1", "1 is out of range: overgain:G' (G' > 1)")]
    [InlineData("tap:half", "\"half\" is not a number")]
    [InlineData("withhold:2", "withhold takes no parameter")]
    [InlineData("eavesdrop", "no attack is called \"eavesdrop\"")]
    public void A_bad_spec_is_named_with_what_is_allowed_in_one_line(string spec, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => Attack.Parse(spec));
        Assert.StartsWith($"attack \"{spec}\": {problem}; attacks are tap:r", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
