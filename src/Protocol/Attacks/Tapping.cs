namespace QSI.Protocol.Attacks;

/// <summary>
/// What an attacker heterodynes of each copy of a frame: modes <paramref name="FirstMode"/> and
/// above of every row, with outcomes of mean 2 sqrt(t) s w (t = <paramref name="OutcomeTransmission"/>)
/// and vacuum plus heterodyne noise, variance 2, on each quadrature.
/// </summary>
internal readonly record struct Tapping(double OutcomeTransmission, int FirstMode);
