using System.Numerics;

namespace QSI.Protocol.Optics;

/// <summary>
/// The client's unitary U_x whose first output mode is b0 = sum_j conj(x_j) a_j
/// (PROTOCOL.md section 3, step 2), built as a phase times a Householder reflection:
/// H x = c e0 with |c| = 1, so (H a)_0 = c (x^dagger a) and U = diag(conj c, 1, ...) H.
/// Only its first row matters to the protocol; the rest is any unitary completion.
/// </summary>
internal sealed class InputUnitary
{
    private readonly Complex[] _v;
    private readonly double _vNorm2;
    private readonly Complex _c;

    public InputUnitary(IReadOnlyList<Complex> unit)
    {
        var n = unit.Count;
        _v = new Complex[n];
        for (var j = 0; j < n; j++) _v[j] = unit[j];
        var x0 = unit[0];
        // c = -x0/|x0| keeps v = x - c e0 away from cancellation.
        _c = x0.Magnitude > 0 ? -x0 / x0.Magnitude : -Complex.One;
        _v[0] -= _c;
        _vNorm2 = 0;
        foreach (var v in _v) _vNorm2 += v.Real * v.Real + v.Imaginary * v.Imaginary;
    }

    /// <summary>Applies U to the modes' amplitudes (a = (X + iP)/2; the map is linear, so it acts on samples alike).</summary>
    public void Apply(LightModes modes)
    {
        Reflect(modes);
        Rotate(modes, 0, Complex.Conjugate(_c));
    }

    /// <summary>Applies U^dagger = H diag(c, 1, ...).</summary>
    public void ApplyAdjoint(LightModes modes)
    {
        Rotate(modes, 0, _c);
        Reflect(modes);
    }

    private void Reflect(LightModes modes)
    {
        if (_vNorm2 == 0) return;
        // H a = a - 2 v (v^dagger a)/|v|^2
        var dot = Complex.Zero;
        for (var j = 0; j < _v.Length; j++) dot += Complex.Conjugate(_v[j]) * new Complex(modes.X[j], modes.P[j]);
        var k = 2 * dot / _vNorm2;
        for (var j = 0; j < _v.Length; j++)
        {
            var d = _v[j] * k;
            modes.X[j] -= d.Real;
            modes.P[j] -= d.Imaginary;
        }
    }

    private static void Rotate(LightModes modes, int j, Complex phase)
    {
        var a = new Complex(modes.X[j], modes.P[j]) * phase;
        modes.X[j] = a.Real;
        modes.P[j] = a.Imaginary;
    }
}
