namespace VirtLab.Machine.Devices;

/// <summary>
/// The Berkeley host-target interface (HTIF) as Spike and QEMU's spike machine implement it: the
/// program writes a 64-bit command to the memory word labelled <c>tohost</c>, and the host acts on
/// it. Bits 63:56 name a device, 55:48 a command, 47:0 a payload.
/// <list type="bullet">
/// <item>device 0, command 0, payload odd: exit; payload 1 is success, otherwise the failure code is payload &gt;&gt; 1;</item>
/// <item>device 1, command 1: print the character in the low byte (the HTIF console).</item>
/// </list>
/// On RV32 the program stores the low word and then the high word; like QEMU, the write of the high
/// word hands the command over. The host then clears <c>tohost</c> and acknowledges in <c>fromhost</c>.
/// </summary>
public sealed class Htif
{
    private readonly AddressSpace _memory;
    private readonly uint _tohost;
    private readonly uint? _fromhost;
    private readonly Action<int> _exit;
    private readonly Action<char> _print;
    private readonly Action<string> _fault;

    /// <summary>Watches <paramref name="tohost"/> in <paramref name="memory"/>.</summary>
    public Htif(AddressSpace memory, uint tohost, uint? fromhost, Action<int> exit, Action<char> print, Action<string> fault)
    {
        _memory = memory;
        _tohost = tohost;
        _fromhost = fromhost;
        _exit = exit;
        _print = print;
        _fault = fault;
        memory.WatchWord(tohost + 4, (_, high) => OnHighWordWritten(high));
    }

    private void OnHighWordWritten(uint high)
    {
        _memory.TryRead(_tohost, 4, out uint low);
        ulong command = ((ulong)high << 32) | low;
        if (command == 0) return;
        uint device = (uint)(command >> 56), cmd = (uint)(command >> 48) & 0xFF;
        ulong payload = command & 0xFFFF_FFFF_FFFF;
        if (device == 0 && cmd == 0 && (payload & 1) == 1)
        {
            _exit((int)(payload >> 1));
        }
        else if (device == 1 && cmd == 1)
        {
            _print((char)(payload & 0xFF));
        }
        else
        {
            _fault($"unsupported HTIF command 0x{command:x16} (device {device}, command {cmd}); VirtLab supports exit and console output only");
            return;
        }
        // The host has taken the command: clear tohost and acknowledge in fromhost.
        _memory.TryWrite(_tohost, 4, 0);
        _memory.TryWrite(_tohost + 4, 4, 0);
        if (_fromhost is uint f)
        {
            _memory.TryWrite(f, 4, 1);
            _memory.TryWrite(f + 4, 4, (device << 24) | (cmd << 16));
        }
    }
}
