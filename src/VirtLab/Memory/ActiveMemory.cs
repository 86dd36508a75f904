namespace VirtLab.Memory;

/// <summary>
/// How the hypervisor samples a VM's active memory (see <see cref="ActiveMemoryEstimator"/>).
/// </summary>
/// <param name="SamplePages">
/// Guest pages watched per period. ESX samples 100 (Waldspurger, OSDI 2002, section 5.3): enough
/// for a fraction to within about ±5 percentage points in one period, cheap enough to be free.
/// </param>
/// <param name="PeriodMilliseconds">
/// Simulated ms per sampling period. ESX uses 30 s on hosts that run for days; VirtLab's runs last a
/// few hundred simulated ms, so the period is compressed to 20 ms to give a run some 10 to 50 periods.
/// The price of the compression: ~100 touch faults per period are a far larger share of a 20 ms
/// period than of 30 s (about 6% of a busy vCPU here), and they show as page-fault exits.
/// </param>
/// <param name="FastGain">
/// Weight of the newest period in the fast moving average. Chosen, not published (ESX documents
/// the two averages but not their gains): 0.5 follows a growing working set within two periods.
/// </param>
/// <param name="SlowGain">
/// Weight of the newest period in the slow moving average. Chosen, not published: 0.2 forgets a
/// working set that went idle over about ten periods, so a VM that paused briefly is not taxed at once.
/// </param>
/// <param name="OnlyWhenOvercommitted">
/// Sample only while the VMs' configured sizes add up to more than the host's RAM for guests. ESX
/// samples always; but a host whose VMs all fit never reclaims, so the estimate would be unused
/// and its touch faults would only perturb experiments about other things.
/// </param>
public sealed record ActiveMemorySampling(int SamplePages = 100, double PeriodMilliseconds = 20, double FastGain = 0.5, double SlowGain = 0.2,
    bool OnlyWhenOvercommitted = true);

/// <summary>
/// The active-memory estimate of one VM, as ESX makes it. The hypervisor cannot see which guest
/// pages are in use, and asking the guest is no good (the guest is the party being taxed). So,
/// every sampling period, it picks a random sample of the VM's guest pages and watches them
/// (<see cref="GuestMemory.WatchForTouch"/>: each mapped one is hidden in the page map, so the
/// guest's next access of it faults to the hypervisor). At the end of the period the fraction of
/// the sample that was touched is a measurement of the fraction of the VM's memory in use.
/// <para>
/// One period's measurement is noisy, so two exponential moving averages follow it: a fast one that
/// reacts to a growing working set within a period or two, and a slow one that keeps a VM that was
/// busy recently from looking idle after one quiet period. A third figure, <see cref="CurrentFraction"/>,
/// is the share of the running period's sample touched so far, so a VM that has just woken up
/// counts as active before its period ends. The estimate is the largest of these and the last
/// period's own measurement:
/// the hypervisor would rather overestimate active memory (and tax too little) than take memory a
/// guest is about to use. Until the first period ends nothing is known and the VM counts as fully active.
/// </para>
/// </summary>
public sealed class ActiveMemoryEstimator
{
    private readonly GuestMemory _memory;
    private readonly Random _random;
    private readonly int[] _sample;
    private bool _watching;

    /// <summary>Creates the estimator of <paramref name="memory"/>; <paramref name="random"/> picks the samples (seeded: the same seed samples the same pages).</summary>
    public ActiveMemoryEstimator(GuestMemory memory, ActiveMemorySampling sampling, Random random)
    {
        _memory = memory;
        _random = random;
        Sampling = sampling;
        _sample = new int[Math.Min(sampling.SamplePages, memory.Pages)];
    }

    /// <summary>The sample size, period and gains in use.</summary>
    public ActiveMemorySampling Sampling { get; }

    /// <summary>Sampling periods completed.</summary>
    public int Periods { get; private set; }

    /// <summary>Fraction of the sample the guest touched in the last completed period (the raw measurement), or null before the first.</summary>
    public double? LastMeasurement { get; private set; }

    /// <summary>The fast moving average of the touched fraction.</summary>
    public double FastAverage { get; private set; } = 1;

    /// <summary>The slow moving average of the touched fraction.</summary>
    public double SlowAverage { get; private set; } = 1;

    /// <summary>
    /// The fraction of the current sample touched so far in the running period. Touches only add up
    /// during a period, so this can only be lower than what the period will measure; it lets a
    /// working set that grows right now count at once instead of a period later. (ESX keeps a third,
    /// fast average that takes in the current period's counts; VirtLab uses the running count itself,
    /// because its periods are short next to how fast a guest can fault in its working set.)
    /// </summary>
    public double CurrentFraction => _watching && _sample.Length > 0 ? (double)_memory.WatchedPagesTouched / _sample.Length : 0;

    /// <summary>
    /// Estimated fraction of the VM's configured memory in active use: the largest of the slow
    /// average, the fast average, the last period's measurement and the running count of the
    /// current period. The last measurement is there because the running count starts again from
    /// zero at each period's start: without it, a VM whose working set has just grown would count
    /// as half idle for a whole period while the fast average catches up. 1 until the first period ends.
    /// </summary>
    public double ActiveFraction => Periods == 0 ? 1 : Math.Max(Math.Max(FastAverage, SlowAverage), Math.Max(LastMeasurement ?? 0, CurrentFraction));

    /// <summary>Estimated guest pages in active use: <see cref="ActiveFraction"/> of the configured size.</summary>
    public int ActivePages => (int)Math.Round(ActiveFraction * _memory.Pages);

    /// <summary>
    /// Ends the current sampling period, if one is running (counts the touched sample pages and
    /// updates the averages), and starts the next with a fresh random sample. The host calls it
    /// once per <see cref="ActiveMemorySampling.PeriodMilliseconds"/>, between steps, when no hart
    /// of the VM is executing.
    /// </summary>
    public void Advance()
    {
        if (_watching) Measure();
        PickSample();
        foreach (int page in _sample) _memory.WatchForTouch(page);
        _watching = true;
    }

    /// <summary>Stops watching (the VM stopped): the sample pages get their mappings back.</summary>
    public void Stop()
    {
        if (!_watching) return;
        foreach (int page in _sample) _memory.StopWatching(page);
        _watching = false;
    }

    private void Measure()
    {
        int touched = 0;
        foreach (int page in _sample) if (_memory.StopWatching(page)) touched++;
        double measured = (double)touched / _sample.Length;
        if (Periods == 0)
        {
            // The first measurement is all there is: both averages start from it.
            FastAverage = SlowAverage = measured;
        }
        else
        {
            FastAverage += Sampling.FastGain * (measured - FastAverage);
            SlowAverage += Sampling.SlowGain * (measured - SlowAverage);
        }
        LastMeasurement = measured;
        Periods++;
    }

    // A uniform sample of distinct pages over the VM's whole configured memory (not only the mapped
    // pages: a page the guest touches for the first time is active too). Partial Fisher-Yates over
    // page numbers drawn lazily, so the cost is the sample size, not the VM size.
    private void PickSample()
    {
        var swapped = new Dictionary<int, int>();
        int n = _memory.Pages;
        for (int i = 0; i < _sample.Length; i++)
        {
            int j = i + _random.Next(n - i);
            int atJ = swapped.TryGetValue(j, out int vj) ? vj : j;
            int atI = swapped.TryGetValue(i, out int vi) ? vi : i;
            swapped[j] = atI;
            _sample[i] = atJ;
        }
    }
}
