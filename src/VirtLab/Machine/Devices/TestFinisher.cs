namespace VirtLab.Machine.Devices;

/// <summary>
/// The SiFive test finisher ("sifive,test0", at 0x100000 on QEMU's virt machine): a guest powers
/// the machine off by writing 0x5555 (pass), or 0x3333 | code &lt;&lt; 16 (fail with that code).
/// </summary>
public sealed class TestFinisher : IMmioDevice
{
    public const uint DefaultBase = 0x0010_0000;
    public const uint Pass = 0x5555, Fail = 0x3333, Reset = 0x7777;

    private readonly Action<int> _powerOff;

    /// <summary>Creates a finisher that calls <paramref name="powerOff"/> with the exit code (0 = pass).</summary>
    public TestFinisher(Action<int> powerOff) => _powerOff = powerOff;

    public string Name => "test-finisher";
    public uint Size => 0x1000;

    public bool Read(uint offset, int size, out uint value) { value = 0; return true; }

    public bool Write(uint offset, int size, uint value)
    {
        if (offset != 0) return true;
        switch (value & 0xFFFF)
        {
            case Pass: _powerOff(0); break;
            case Fail: _powerOff((int)(value >> 16)); break;
        }
        return true;
    }
}
