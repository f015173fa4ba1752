using QSI.Actors.Messages;

namespace QSI.Actors.Serialization;

/// <summary>Codecs of the <see cref="Serving"/> and <see cref="Verification"/> conversations.</summary>
internal static class ServingCodecs
{
    private const int MaxIdBytes = 256;
    private const int MaxReasonBytes = 1024;
    private const int MaxLayers = 64;
    private const int MaxResidualBytes = 64 * 1024;

    // An offer's fixed fields: id 16, kind length 4, total 8, chunk size 4, store path length 4.
    private const int OfferMinBytes = 36;

    public static IEnumerable<WireCodec> All =>
    [
        WireCodec.For<Serving.RequestFrames>("serve-request",
            (w, m) => { Client(w, m.ClientId); w.Int64(m.Correlation); w.Int32(m.Queries); },
            (ref r) => new Serving.RequestFrames(Client(ref r), r.Int64(), r.Int32("queries", 1, int.MaxValue))),
        WireCodec.For<Serving.FramesIssued>("serve-issued",
            (w, m) => { w.Int64(m.Correlation); w.Int64(m.RequestId); Offers(w, m.Layers); w.ActorRef(m.Verifier); },
            (ref r) => new Serving.FramesIssued(r.Int64(), r.Int64(), Offers(ref r), r.ActorRef("verifier"))),
        WireCodec.For<Serving.Refused>("serve-refused",
            (w, m) => { w.Int64(m.Correlation); Reason(w, m.Reason); w.Boolean(m.Final); },
            (ref r) => new Serving.Refused(r.Int64(), Reason(ref r), r.Boolean("final"))),
        WireCodec.For<Serving.Finished>("serve-finished",
            (w, m) => { Client(w, m.ClientId); w.Int64(m.RequestId); },
            (ref r) => new Serving.Finished(Client(ref r), r.Int64())),
        WireCodec.For<Serving.Flagged>("serve-flagged",
            (w, m) => { Client(w, m.ClientId); Reason(w, m.Reason); },
            (ref r) => new Serving.Flagged(Client(ref r), Reason(ref r))),
        WireCodec.For<Verification.Expect>("verify-expect", WriteExpect, ReadExpect),
        WireCodec.For<Verification.Ready>("verify-ready",
            (w, m) => w.Int64(m.RequestId),
            (ref r) => new Verification.Ready(r.Int64())),
        WireCodec.For<Verification.Unready>("verify-unready",
            (w, m) => { w.Int64(m.RequestId); Reason(w, m.Reason); },
            (ref r) => new Verification.Unready(r.Int64(), Reason(ref r))),
        WireCodec.For<Verification.CheckQuery>("verify-check",
            WriteCheck, ReadCheck, m => 64 + m.Residuals.Sum(b => 4 + b.Length)),
        WireCodec.For<Verification.Verdict>("verify-verdict",
            (w, m) => { w.Int64(m.RequestId); w.Int32(m.Query); w.Boolean(m.Accepted); w.Double(m.Transmission); w.Double(m.ExcessNoise); },
            (ref r) => new Verification.Verdict(r.Int64(), Query(ref r), r.Boolean("accepted"), r.Double("transmission"), r.Double("excess noise"))),
        WireCodec.For<Verification.Rejected>("verify-rejected",
            (w, m) => { w.Int64(m.RequestId); w.Int32(m.Query); Reason(w, m.Reason); },
            (ref r) => new Verification.Rejected(r.Int64(), r.Int32("query", int.MinValue, int.MaxValue), Reason(ref r))),
        WireCodec.For<Verification.TaskVerdict>("verify-task-verdict",
            (w, m) =>
            {
                w.Int64(m.RequestId); Client(w, m.ClientId); w.Int64(m.Seal); w.Boolean(m.Accepted); w.Double(m.Transmission); w.Double(m.ExcessNoise);
                w.Double(m.TransmissionScore); w.Double(m.ExcessNoiseScore); w.Boolean(m.Problem is not null); if (m.Problem is not null) Reason(w, m.Problem);
                w.Boolean(m.Measured);
            },
            (ref r) => new Verification.TaskVerdict(r.Int64(), Client(ref r), r.Int64(), r.Boolean("accepted"), r.Double("transmission"), r.Double("excess noise"),
                r.Double("transmission score"), r.Double("excess noise score"), r.Boolean("has problem") ? Reason(ref r) : null, r.Boolean("measured"))),
        WireCodec.For<Verification.Conclude>("verify-conclude",
            (w, m) => { w.Int64(m.RequestId); w.Int64(m.Seal); },
            (ref r) => new Verification.Conclude(r.Int64(), r.Int64())),
        WireCodec.For<Verification.Finish>("verify-finish",
            (w, m) => { w.Int64(m.RequestId); w.Int64(m.Seal); },
            (ref r) => new Verification.Finish(r.Int64(), r.Int64())),
        WireCodec.For<Verification.RecordRequest>("verify-record-request",
            (w, m) => Client(w, m.ClientId),
            (ref r) => new Verification.RecordRequest(Client(ref r))),
        WireCodec.For<Verification.Record>("verify-record",
            (w, m) => { Client(w, m.ClientId); w.Int64(m.Checks); w.Int64(m.Accepted); w.Double(m.Transmission); w.Double(m.ExcessNoise); w.Boolean(m.PooledAccepted); },
            (ref r) => new Verification.Record(Client(ref r), r.Int64("checks", 0, long.MaxValue), r.Int64("accepted", 0, long.MaxValue),
                r.Double("transmission"), r.Double("excess noise"), r.Boolean("pooled accepted"))),
    ];

    private static void WriteExpect(MessageWriter w, Verification.Expect m)
    {
        Client(w, m.ClientId);
        w.Int64(m.RequestId);
        w.Int64(m.Seal);
        w.Int32(m.Queries);
        Offers(w, m.References);
        Uses(w, m.Uses, m.References.Count);
        w.ActorRef(m.Client);
        w.ActorRef(m.Server);
        w.Double(m.FalseAlarmRate);
        w.Boolean(m.NoiseStream is not null);
        if (m.NoiseStream is { } stream) w.Int64(stream);
    }

    private static Verification.Expect ReadExpect(ref MessageReader r)
    {
        var client = Client(ref r);
        var request = r.Int64();
        var seal = r.Int64();
        var queries = r.Int32("queries", 1, int.MaxValue);
        var references = Offers(ref r);
        var uses = Uses(ref r, references.Length);
        var clientActor = r.ActorRef("client");
        var server = r.ActorRef("server");
        var falseAlarm = r.Double("false-alarm rate");
        if (falseAlarm is not (> 0 and < 1)) throw r.Malformed($"false-alarm rate {falseAlarm} is outside (0, 1)");
        long? stream = r.Boolean("has noise stream") ? r.Int64() : null;
        return new Verification.Expect(client, request, seal, queries, references, uses, clientActor, server, falseAlarm, stream);
    }

    private static void WriteCheck(MessageWriter w, Verification.CheckQuery m)
    {
        Client(w, m.ClientId);
        w.Int64(m.RequestId);
        w.Int32(m.Query);
        w.Int32(m.Residuals.Count);
        foreach (var residual in m.Residuals) w.Bytes(residual, "residual", MaxResidualBytes);
    }

    private static Verification.CheckQuery ReadCheck(ref MessageReader r)
    {
        var client = Client(ref r);
        var request = r.Int64();
        var query = Query(ref r);
        var residuals = new byte[r.Count("residual count", 1, MaxLayers, 4)][];
        for (var l = 0; l < residuals.Length; l++) residuals[l] = r.Bytes("residual", MaxResidualBytes).ToArray();
        return new Verification.CheckQuery(client, request, query, residuals);
    }

    internal static void Offers(MessageWriter w, IReadOnlyList<Blobs.Offer> offers)
    {
        if (offers.Count is < 1 or > MaxLayers) throw new ArgumentException($"{offers.Count} layers; a network has 1 to {MaxLayers}");
        w.Int32(offers.Count);
        foreach (var offer in offers) BlobCodecs.WriteOffer(w, offer);
    }

    internal static Blobs.Offer[] Offers(ref MessageReader r)
    {
        var offers = new Blobs.Offer[r.Count("layer count", 1, MaxLayers, OfferMinBytes)];
        for (var l = 0; l < offers.Length; l++) offers[l] = BlobCodecs.ReadOffer(ref r);
        return offers;
    }

    private static void Uses(MessageWriter w, IReadOnlyList<long> uses, int frames)
    {
        if (uses.Count != frames) throw new ArgumentException($"{uses.Count} use counts for {frames} frames");
        foreach (var count in uses) w.Int64(count);
    }

    private static long[] Uses(ref MessageReader r, int frames)
    {
        var uses = new long[frames];
        for (var l = 0; l < frames; l++) uses[l] = r.Int64("uses", 1, long.MaxValue);
        return uses;
    }

    internal static void Client(MessageWriter w, string clientId) => w.String(clientId, "client id", MaxIdBytes);

    internal static string Client(ref MessageReader r) => r.String("client id", MaxIdBytes);

    // A reason is prose for people: a long one is cut rather than letting the whole message fail to send.
    internal static void Reason(MessageWriter w, string reason) =>
        w.String(System.Text.Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes ? reason : reason[..(MaxReasonBytes / 4 - 1)] + "…", "reason", MaxReasonBytes);

    internal static string Reason(ref MessageReader r) => r.String("reason", MaxReasonBytes);

    private static int Query(ref MessageReader r) => r.Int32("query", 0, int.MaxValue);
}
