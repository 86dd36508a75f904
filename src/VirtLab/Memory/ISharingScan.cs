namespace VirtLab.Memory;

/// <summary>
/// Which guest pages the page-sharing scan looks at (<see cref="PageSharing"/>). Each reclamation
/// period the host asks <see cref="NextPage"/> <c>HostConfig.SharingScanPages</c> times; a page it
/// names that is mapped is hashed and, if its contents match another page's, shared. Give a host
/// yours with <c>new HostConfig { SharingScanPages = 64, SharingScan = new MyScan() }</c>; the
/// default is <see cref="RandomSharingScan"/>.
/// <para>
/// <b>Rules.</b> Return an index into <c>vms</c> and a page below that VM's
/// <see cref="IReclaimableVm.MaxPages"/>. Anything else, or an exception, stops the host with a
/// <c>PolicyViolationException</c> naming the scan, the member and the time. The scan only reads
/// the VMs; it changes nothing.
/// </para>
/// <example>
/// A sweep, as Linux's KSM walks memory in order instead of at random:
/// <code>
/// public sealed class Sweep : ISharingScan
/// {
///     private int _vm, _page;
///     public string Name =&gt; "sweep";
///     public (int Vm, int Page) NextPage(IReadOnlyList&lt;IReclaimableVm&gt; vms, Random random)
///     {
///         if (_vm &gt;= vms.Count) (_vm, _page) = (0, 0);
///         var next = (_vm, _page);
///         if (++_page == vms[_vm].MaxPages) (_vm, _page) = (_vm + 1, 0);
///         return next;
///     }
/// }
/// </code>
/// </example>
/// </summary>
public interface ISharingScan
{
    /// <summary>A short name for tables and error messages ("random").</summary>
    string Name { get; }

    /// <summary>The next page to look at: an index into <paramref name="vms"/> (the running VMs, never empty) and a guest page of that VM.</summary>
    (int Vm, int Page) NextPage(IReadOnlyList<IReclaimableVm> vms, Random random);
}
