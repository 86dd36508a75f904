using System.Text;

namespace VirtLab.Machine.Devices;

/// <summary>
/// A 16550-compatible serial port, enough of it for a guest to print and read characters:
/// writes to the transmit holding register (offset 0) appear in <see cref="Output"/>, the line
/// status register (offset 5) always says the transmitter is empty, and bytes queued with
/// <see cref="SendInput"/> can be read from the receive buffer. Registers follow the classic
/// National Semiconductor PC16550D layout at byte offsets 0..7, as on QEMU's virt machine.
/// </summary>
public sealed class Uart16550 : IMmioDevice
{
    /// <summary>Where QEMU's virt machine puts its UART.</summary>
    public const uint DefaultBase = 0x1000_0000;

    private const uint Rbr_Thr = 0, Ier = 1, Iir_Fcr = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scr = 7;
    private const byte LsrDataReady = 0x01, LsrThrEmpty = 0x20, LsrTransmitterEmpty = 0x40;
    private const byte LcrDivisorLatch = 0x80;

    private readonly StringBuilder _output = new();
    private readonly Queue<byte> _input = new();
    private readonly byte[] _registers = new byte[8];
    private readonly int _outputLimit;

    /// <summary>Creates a UART that keeps at most <paramref name="outputLimit"/> characters of output (a runaway guest cannot fill the host's memory).</summary>
    public Uart16550(int outputLimit = 1 << 20) => _outputLimit = outputLimit;

    public string Name => "uart0";
    public uint Size => 0x100;

    /// <summary>Everything the guest has transmitted.</summary>
    public string Output => _output.ToString();

    /// <summary>True once output was dropped because it went past the limit.</summary>
    public bool OutputTruncated { get; private set; }

    /// <summary>Called with each transmitted character, e.g. to echo it live on a console.</summary>
    public Action<char>? OnTransmit { get; set; }

    /// <summary>Queues bytes for the guest to receive.</summary>
    public void SendInput(string text) { foreach (byte b in Encoding.UTF8.GetBytes(text)) _input.Enqueue(b); }

    public bool Read(uint offset, int size, out uint value)
    {
        value = 0;
        if (size != 1 || offset >= 8) return false;
        value = offset switch
        {
            Rbr_Thr when (_registers[Lcr] & LcrDivisorLatch) == 0 => _input.Count > 0 ? _input.Dequeue() : 0u,
            Lsr => (uint)(LsrThrEmpty | LsrTransmitterEmpty | (_input.Count > 0 ? LsrDataReady : 0)),
            Iir_Fcr => 0x01,   // no interrupt pending
            Msr => 0xB0,       // carrier detect, data set ready, clear to send
            _ => _registers[offset],
        };
        return true;
    }

    public bool Write(uint offset, int size, uint value)
    {
        if (size != 1 || offset >= 8) return false;
        if (offset == Rbr_Thr && (_registers[Lcr] & LcrDivisorLatch) == 0)
        {
            Transmit((char)(byte)value);
            return true;
        }
        if (offset is Ier or Lcr or Mcr or Scr or Rbr_Thr) _registers[offset] = (byte)value;
        return true;   // FCR and the read-only registers ignore writes
    }

    internal void Transmit(char c)
    {
        if (_output.Length < _outputLimit) _output.Append(c);
        else OutputTruncated = true;
        OnTransmit?.Invoke(c);
    }
}
