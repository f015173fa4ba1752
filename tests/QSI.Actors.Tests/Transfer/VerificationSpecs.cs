using Akka.Actor;
using QSI.Actors.Messages;
using QSI.Actors.Tests.Serialization;

namespace QSI.Actors.Tests.Transfer;

public sealed class VerificationSpecs : TransferSpec
{
    [Fact]
    public void Messages_between_actors_in_these_tests_are_copies_made_by_the_wire_codec()
    {
        var pull = new Blobs.Pull(BlobId.New(), 3);
        TestActor.Tell(pull);
        var received = ExpectMsg<Blobs.Pull>();
        Assert.Equal(pull, received);
        Assert.NotSame(pull, received);

        TestActor.Tell(new UncodedMessage(1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
