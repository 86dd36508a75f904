namespace VirtLab.Fleet;

/// <summary>
/// One live migration: decided at the start of <see cref="Interval"/>, it lasts
/// <see cref="Seconds"/>, during which the VM keeps running on <see cref="From"/> with its CPU
/// degraded; then it runs on <see cref="To"/>.
/// </summary>
/// <param name="Interval">The interval at whose start it began.</param>
/// <param name="Vm">The VM's index in <see cref="DataCenter.Vms"/>.</param>
/// <param name="From">The host it left.</param>
/// <param name="To">The host it went to.</param>
/// <param name="Seconds">How long it took: the VM's RAM over the link's migration share.</param>
/// <param name="Reason">Overload or underload.</param>
public sealed record Migration(int Interval, int Vm, int From, int To, double Seconds, MigrationReason Reason);
