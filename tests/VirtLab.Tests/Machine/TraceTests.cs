using VirtLab.Assembly;
using VirtLab.Machine;
using Mach = VirtLab.Machine.Machine;

namespace VirtLab.Tests.Machine;

/// <summary>The machine's instruction trace (<c>virtlab run --trace</c>): one entry per instruction, and an interrupt as an entry of its own.</summary>
public class TraceTests
{
    [Fact]
    public void AnInterruptIsItsOwnStepAndTheHandlersFirstInstructionIsTheNext()
    {
        var machine = new Mach();
        Assert.Null(machine.Load(Assembler.Assemble(Snippet.Wrap("""
                la t0, handler
                csrw mtvec, t0
                li t1, 0x02004000           # mtimecmp = 0: the timer is pending at once
                sw zero, 0(t1)
                sw zero, 4(t1)
                li t0, 0x80
                csrs mie, t0
                csrsi mstatus, 8            # interrupts on: taken before the next instruction
            next:
                li s0, 1
            handler:
                li s1, 0x55
                j __exit
            """)).Program!));
        var trace = new List<TraceEntry>();
        machine.Run(1_000, trace.Add);

        int taken = trace.FindIndex(e => e.Trapped);
        Assert.True(taken > 0, "no step reported the interrupt");
        var interrupt = trace[taken];
        var handler = trace[taken + 1];
        Assert.Empty(interrupt.Changes);
        Assert.Equal(machine.Harts[0].MTvec, handler.Pc);
        Assert.Equal(interrupt.Pc, machine.Harts[0].MEpc);        // reported at the instruction it came before
        Assert.Contains((9, 0x55u), handler.Changes);               // s1 = x9: the handler's first instruction, in its own entry
        Assert.DoesNotContain(trace, e => e.Changes.Contains((8, 1u)));   // li s0, 1 never ran
    }
}
