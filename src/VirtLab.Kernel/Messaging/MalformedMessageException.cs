namespace VirtLab.Kernel.Messaging;

/// <summary>A message the kernel refuses: unsigned or wrongly signed, replayed, or not in the protocol's shape.</summary>
public sealed class MalformedMessageException(string reason) : Exception(reason);
