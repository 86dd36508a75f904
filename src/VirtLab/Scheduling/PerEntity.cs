namespace VirtLab.Scheduling;

/// <summary>
/// A policy's private record for each entity of one host, created on first use: what Xen's
/// schedulers hang off each vCPU's <c>sched_priv</c> pointer. Only the policy that owns the table
/// sees the records, so two schedulers never share state through the entities. Looked up by
/// <see cref="SchedulingData.Index"/>, so a lookup is an array access.
/// <example>
/// <code>
/// private sealed class Slice { public ulong Start; }
/// private readonly PerEntity&lt;Slice&gt; _slices = new();
/// ...
/// _slices[entity].Start = now;
/// </code>
/// </example>
/// </summary>
/// <typeparam name="T">The record; one is made with <c>new T()</c> the first time an entity is looked up.</typeparam>
public sealed class PerEntity<T> where T : class, new()
{
    private T?[] _records = new T?[16];

    /// <summary>The record of <paramref name="entity"/> (created if it has none yet).</summary>
    /// <exception cref="ArgumentException">The entity does not belong to a host yet.</exception>
    public T this[ISchedulable entity]
    {
        get
        {
            int i = entity.Sched.Index;
            if ((uint)i >= (uint)_records.Length)
            {
                if (i < 0) throw new ArgumentException($"'{entity.Name}' does not belong to a host yet, so it has no index", nameof(entity));
                Array.Resize(ref _records, Math.Max(i + 1, 2 * _records.Length));
            }
            return _records[i] ??= new T();
        }
    }
}
