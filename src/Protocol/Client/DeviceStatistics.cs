using System.Buffers;
using System.Numerics.Tensors;
using QSI.Protocol.Encoding;
using QSI.Protocol.Randomness;
using QSI.Protocol.Verification;

namespace QSI.Protocol.Client;

/// <summary>
/// The amplify-and-split device by sufficient statistics (PROTOCOL.md sections 3 and 7): one
/// Gaussian per row use for the detector's noise, and the returned light as its exact Gaussian
/// description, for incoming light of any means and isotropic noise (<see cref="IncomingLight"/>).
/// </summary>
/// <remarks>
/// Along x the device sees b0' = x^dagger mu with variance V_in. Its detector X is
/// 2 sqrt(G-1) Re b0' plus noise of variance V_d; the return arm carries b0' with X noise
/// correlated to the detector's (covariance C) and independent P noise of variance V_r
/// (<see cref="DeviceNoise.ForInput"/>). Given the detector's noise e_d the returned X is
/// shifted by (C/V_d) e_d and keeps variance V_r - C^2/V_d. Orthogonal to x the light passes
/// with variance V_in. The verifier's heterodyne adds 1 to every variance.
/// </remarks>
internal static class DeviceStatistics
{
    /// <summary>
    /// Measures every row use of <paramref name="batch"/> and writes the estimates, scaled for a
    /// transmission of <paramref name="estimateTransmission"/> (the client's belief). Returns the light.
    /// </summary>
    public static ConditionedReturnedLight Measure(FrameLight light, InputBatch batch, DeviceNoise device, IncomingLight incoming,
        double estimateTransmission, Span<float> outputs, NoiseSource noise)
    {
        var m = light.Rows;
        var count = batch.Count;
        var errors = ArrayPool<double>.Shared.Rent(count * m);
        try
        {
            noise.FillGaussian(errors.AsSpan(0, count * m));
            var arms = device.ForInput(incoming.InputVariance);
            var detectorSigma = Math.Sqrt(arms.Detector);
            // Return-arm X noise given the detector's: E[e_r | e_d] = (cov / var_d) e_d.
            var regression = arms.Covariance / arms.Detector;
            var amplitudeGain = device.DetectorAmplitudeGain;
            var signalGain = 2 * amplitudeGain * Math.Sqrt(incoming.Transmission);
            var scale = light.Scale;
            var (offsetX, diverted) = (incoming.OffsetX, incoming.DivertedEstimate);
            var sums = offsetX is null && diverted is null
                ? Honest(batch, scale, detectorSigma, regression, signalGain, device, estimateTransmission, errors.AsSpan(0, count * m), outputs)
                : Offset(batch, scale, detectorSigma, regression, signalGain, amplitudeGain, device, estimateTransmission, incoming, errors, outputs);
            sums = sums with { RestDot = incoming.RestDot, RestSquared = incoming.RestSquared };
            var varianceX = arms.Return - regression * arms.Covariance + 1;
            var varianceP = arms.Return + 1;
            var varianceRest = incoming.InputVariance + 1;
            return new ConditionedReturnedLight(light.Id, m, light.Modes, count, sums, incoming.Transmission, varianceX, varianceP, varianceRest);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(errors);
        }
    }

    // Light as it left the server (no offsets, nothing diverted): the sums are dot products of whole
    // arrays and the estimates one scaled sum, vectorised over the batch.
    private static ConditionedReturnedLight.RowSums Honest(InputBatch batch, double scale, double detectorSigma, double regression, double signalGain,
        DeviceNoise device, double estimateTransmission, Span<double> errors, Span<float> outputs)
    {
        var m = batch.Rows;
        var n = errors.Length;
        var re = ArrayPool<double>.Shared.Rent(n);
        var im = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var reD = re.AsSpan(0, n);
            var imD = im.AsSpan(0, n);
            TensorPrimitives.ConvertChecked<float, double>(batch.Re, reD);
            TensorPrimitives.ConvertChecked<float, double>(batch.Im, imD);
            TensorPrimitives.Multiply(errors, detectorSigma, errors);
            // Re beta = s re, the detector's error e, the return arm's shift X = (C/V_d) e.
            var sums = new ConditionedReturnedLight.RowSums(
                ReRe: scale * scale * TensorPrimitives.SumOfSquares<double>(reD),
                ReOffsetX: scale * regression * TensorPrimitives.Dot<double>(reD, errors),
                OffsetXOffsetX: regression * regression * TensorPrimitives.SumOfSquares<double>(errors),
                ImIm: scale * scale * TensorPrimitives.SumOfSquares<double>(imD));
            // Detected: 2 sqrt(G-1) sqrt(t) Re beta + e, scaled to an estimate per input.
            TensorPrimitives.MultiplyAdd(reD, signalGain * scale, errors, reD);
            for (var b = 0; b < batch.Count; b++)
            {
                var row = reD.Slice(b * m, m);
                TensorPrimitives.Multiply(row, DeviceOptics.ToEstimate(batch.Norm(b), scale, device, estimateTransmission), row);
            }
            TensorPrimitives.ConvertChecked<double, float>(reD, outputs[..n]);
            return sums;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(re);
            ArrayPool<double>.Shared.Return(im);
        }
    }

    // Light an attack shifted or diverted on its way in: row by row.
    private static ConditionedReturnedLight.RowSums Offset(InputBatch batch, double scale, double detectorSigma, double regression, double signalGain,
        double amplitudeGain, DeviceNoise device, double estimateTransmission, IncomingLight incoming, double[] errors, Span<float> outputs)
    {
        var m = batch.Rows;
        var (offsetX, offsetP, diverted) = (incoming.OffsetX, incoming.OffsetP, incoming.DivertedEstimate);
        var re = batch.Re;
        var im = batch.Im;
        var sums = default(ConditionedReturnedLight.RowSums);
        for (var b = 0; b < batch.Count; b++)
        {
            var toEstimate = DeviceOptics.ToEstimate(batch.Norm(b), scale, device, estimateTransmission);
            for (var k = b * m; k < (b + 1) * m; k++)
            {
                var betaRe = scale * re[k];
                var detectorError = detectorSigma * errors[k];
                var detected = signalGain * betaRe + detectorError;
                var shiftX = regression * detectorError;
                var shiftP = 0.0;
                if (offsetX is not null)
                {
                    detected += amplitudeGain * offsetX[k];
                    shiftX += offsetX[k];
                    shiftP = offsetP![k];
                }
                if (diverted is not null) detected += amplitudeGain * diverted[k];
                outputs[k] = (float)(toEstimate * detected);
                sums = sums.Add(betaRe, scale * im[k], shiftX, shiftP);
            }
        }
        return sums;
    }
}
