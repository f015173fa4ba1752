using System.Collections.Concurrent;
using QSI.Federation.Models;

namespace QSI.Federation.Training;

/// <summary>
/// Trainers (a model-sized ΔW, its gradients and workspaces) lent to clients for the length of
/// one task. A process's clients that compute one at a time share a pool, so it holds about as
/// many trainers as tasks run at once, however many clients the process holds; a trainer keeps
/// nothing of one task that the next could see (<see cref="LocalTrainer.Train"/> starts ΔW from zero).
/// </summary>
public sealed class LocalTrainerPool(ModelShape shape, int maxBatchSize = LocalTrainerPool.DefaultBatchCapacity)
{
    /// <summary>The largest batch a pooled trainer takes unless told otherwise.</summary>
    public const int DefaultBatchCapacity = 64;

    private readonly ConcurrentBag<LocalTrainer> _idle = [];

    /// <summary>The shape of the models the pool's trainers train.</summary>
    public ModelShape Shape { get; } = shape;

    /// <summary>The largest batch each trainer takes.</summary>
    public int MaxBatchSize { get; } = maxBatchSize;

    /// <summary>Trainers idle in the pool now.</summary>
    public int Idle => _idle.Count;

    /// <summary>Lends a trainer until the lease is disposed.</summary>
    public Lease Rent() => new(this, _idle.TryTake(out var trainer) ? trainer : new LocalTrainer(Shape, MaxBatchSize));

    /// <summary>True when the pool's trainers fit models of <paramref name="shape"/>.</summary>
    public bool Fits(ModelShape shape) => shape.Bias == Shape.Bias && shape.Sizes.SequenceEqual(Shape.Sizes);

    /// <summary>A trainer on loan; disposing it returns the trainer to the pool.</summary>
    public sealed class Lease(LocalTrainerPool pool, LocalTrainer trainer) : IDisposable
    {
        private LocalTrainer? _trainer = trainer;

        /// <summary>The trainer lent.</summary>
        public LocalTrainer Trainer => _trainer ?? throw new ObjectDisposedException(nameof(Lease));

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _trainer, null) is { } returned) pool._idle.Add(returned);
        }
    }
}
