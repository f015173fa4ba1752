using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Roles;
using QSI.Federation.Inference;

namespace QSI.Actors.Tests.Roles;

public class RoleSpecs : RoleSpec
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_client_classifies_its_images_through_the_servers_frames_and_the_verifier_checks_every_query()
    {
        var images = Images(300, seed: 9);
        var server = Server(Verifier(), photons: 1000);
        Client("a", images, server, TestActor);

        var progress = Enumerable.Range(0, 3).Select(_ => ExpectMsg<ClientProgress>(Patience).Done).ToArray();
        Assert.Equal([100, 200, 300], progress);
        var report = ExpectMsg<ClientReport>(Patience);
        Assert.Null(report.Failure);
        Assert.Equal((300, 300L, 0L), (report.Images, report.Checks, report.Rejected));
        var digital = DigitalInference.Run(Model, images);
        Assert.InRange(report.Accuracy, digital.Accuracy - 0.02, digital.Accuracy + 0.01);
        // 300 checks at a 5 % false-alarm rate: accept rate 0.95, binomial sd 0.013.
        Assert.InRange(report.AcceptRate, 0.90, 1.0);
        Assert.True(report.PooledAccepted);
        Assert.InRange(report.ExcessNoise, 0.5, 1.5);
        Assert.InRange(report.Transmission, 0.99, 1.01);
        Assert.Equal((1000.0, 32, 1.0), (report.Photons, report.Modes, report.ChannelTransmission));
    }

    [Fact]
    public void Two_clients_are_served_side_by_side_and_recorded_separately()
    {
        var server = Server(Verifier(), photons: 4);
        var reports = CreateTestProbe();
        Client("a", Images(150, seed: 1), server, reports);
        Client("b", Images(120, seed: 2), server, reports);
        var finished = new List<ClientReport>();
        var deadline = DateTime.UtcNow + Patience;
        while (finished.Count < 2 && DateTime.UtcNow < deadline)
            if (reports.ReceiveOne(Patience) is ClientReport report) finished.Add(report);
        Assert.Equal([("a", 150), ("b", 120)], finished.Select(r => (r.ClientId, r.Images)).Order().ToArray());
        Assert.All(finished, r => Assert.Equal(r.Images, r.Checks));
    }

    [Fact]
    public void The_verifier_answers_a_query_of_an_unknown_request_with_a_reason_and_tells_a_stranger_nothing_of_a_client()
    {
        var verifier = Verifier();
        verifier.Tell(new Verification.CheckQuery("nobody", 42, 0, [[1, 2, 3]]), TestActor);
        Assert.Contains("unknown or finished", ExpectMsg<Verification.Rejected>().Reason);
        verifier.Tell(new Verification.RecordRequest("nobody"), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        verifier.Tell(new Verification.CheckQuery("nobody", 43, 0, [[1]]), TestActor);
        Assert.Contains("unknown or finished", ExpectMsg<Verification.Rejected>().Reason);
    }

    [Fact]
    public void The_verifier_takes_a_requests_light_only_from_its_client_and_forgets_the_request_when_the_client_dies()
    {
        var verifier = Verifier();
        var server = Server(verifier, photons: 4);
        var client = CreateTestProbe();
        server.Tell(new Serving.RequestFrames("doomed", 1, 10), client);
        var issued = client.ExpectMsg<Serving.FramesIssued>(Patience);
        verifier.Tell(new Verification.CheckQuery("doomed", issued.RequestId, 0, [[1]]), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        verifier.Tell(new Verification.CheckQuery("doomed", issued.RequestId, 0, [[1]]), client);
        Assert.Contains("truncated", client.ExpectMsg<Verification.Rejected>().Reason);

        Watch(client.Ref);
        client.Ref.Tell(PoisonPill.Instance);
        ExpectTerminated(client.Ref);
        AwaitAssert(() =>
        {
            verifier.Tell(new Verification.CheckQuery("doomed", issued.RequestId, 1, [[1]]), TestActor);
            Assert.Contains("unknown or finished", ExpectMsg<Verification.Rejected>().Reason);
        }, Patience, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_client_whose_light_shows_over_gain_is_flagged_told_why_and_refused_more_frames()
    {
        var server = Server(Verifier(), photons: 4);
        Sys.ActorOf(ClientActor.Props(new ClientSettings { ClientId = "greedy", Seed = 5, QueriesPerRequest = 100, Gain = 8 }, Images(300, seed: 4), TestActor, server), "client-greedy");

        var report = FishForMessage<ClientReport>(_ => true, Patience);

        Assert.Contains("the server flagged it", report.Failure);
        Assert.Contains("excess noise", report.Failure);
        Assert.True(report.Images < 300, $"{report.Images} images were served to a flagged client");
        AwaitAssert(() =>
        {
            server.Tell(new Serving.RequestFrames("greedy", 9, 10), TestActor);
            var refused = ExpectMsg<Serving.Refused>(Patience);
            Assert.True(refused.Final);
            Assert.Contains("was flagged by the verifier", refused.Reason);
        }, Patience, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_client_that_keeps_its_light_is_flagged_once_it_says_it_is_done()
    {
        var server = Server(Verifier(), photons: 4);
        var client = CreateTestProbe();
        server.Tell(new Serving.RequestFrames("keeper", 1, 10), client);
        var issued = client.ExpectMsg<Serving.FramesIssued>(Patience);

        server.Tell(new Serving.Finished("keeper", issued.RequestId), client);

        Assert.Contains("10 of its 10 queries returned no light", client.ExpectMsg<Serving.Flagged>(Patience).Reason);
        server.Tell(new Serving.RequestFrames("keeper", 2, 10), client);
        Assert.True(client.ExpectMsg<Serving.Refused>(Patience).Final);
    }

    [Fact]
    public void A_client_is_refused_frames_that_would_take_it_past_its_weight_budget()
    {
        // 100 copies of the 64-32-4 network's frames at mu = 4 cost 3.17 bits per weight of the
        // second layer (32 x 4, 16 modes a row) under the coherent bound; a second batch would make 6.3.
        var issuer = new QSI.Federation.Serving.FrameIssuer(Model, 4, maxQueriesPerRequest: 100, weightBudget: 4.0);
        var server = Sys.ActorOf(ServerActor.Props(issuer, Verifier()), ServerActor.Name);
        server.Tell(new Serving.RequestFrames("thrifty", 1, 100), TestActor);
        var issued = ExpectMsg<Serving.FramesIssued>(Patience);
        server.Tell(new Serving.Finished("thrifty", issued.RequestId), TestActor);

        server.Tell(new Serving.RequestFrames("thrifty", 2, 100), TestActor);

        var refused = FishForMessage<Serving.Refused>(_ => true, Patience);
        Assert.True(refused.Final);
        Assert.Contains("past the weight budget of 4 bits per weight", refused.Reason);
        Assert.Equal(3.174, issuer.Leakage.MaxWeightBits("thrifty"), 3);
    }

    [Fact]
    public void A_request_beyond_the_servers_limit_is_refused_with_the_limit()
    {
        var server = Server(Verifier(), photons: 4);
        server.Tell(new Serving.RequestFrames("greedy", 7, 1000), TestActor);
        var refused = ExpectMsg<Serving.Refused>(Patience);
        Assert.Equal(7, refused.Correlation);
        Assert.Contains("1 to 100", refused.Reason);
    }
}
