# loop-timer.s: the loop benchmark with the timer live. The same 300 million loop instructions as
# loop.s, while the CLINT raises a machine timer interrupt every INTERVAL ticks of mtime and a
# small handler re-arms it. It measures what interrupts cost an emulator: every interrupt ends a
# block (or a translated run) at exactly the right instruction, enters the handler and returns.
# On VirtLab mtime ticks every 10 cycles, so an interrupt comes every 10,000 instructions; QEMU's
# mtime runs at 10 MHz of host time, so there the rate depends on QEMU's speed. Either way the
# handler's instructions are well under 1% of the total.
# Runs unchanged on QEMU: qemu-system-riscv32 -machine spike -cpu rv32,f=off,d=off -nographic
# -bios none -kernel loop-timer.elf

        .equ ITERATIONS, 100000000
        .equ INTERVAL, 1000             # mtime ticks between interrupts
        .equ MTIMECMP, 0x02004000       # CLINT base + 0x4000 (hart 0)
        .equ MIE_MTIE, 0x80             # mie bit 7: machine timer interrupt enable
        .equ MSTATUS_MIE, 0x8           # mstatus bit 3: machine interrupts enabled

        .text
        .globl _start
_start:
        la      t0, on_timer
        csrw    mtvec, t0
        li      s0, 0                   # interrupts taken
        li      t1, MTIMECMP
        li      t0, INTERVAL
        sw      zero, 4(t1)             # first deadline: mtime = INTERVAL
        sw      t0, 0(t1)
        li      t0, MIE_MTIE
        csrs    mie, t0
        csrsi   mstatus, MSTATUS_MIE

        li      t0, ITERATIONS
        li      a0, 0
loop:
        addi    a0, a0, 1
        addi    t0, t0, -1
        bnez    t0, loop

        csrci   mstatus, MSTATUS_MIE
        # pass only if the loop ran in full and interrupts really came
        li      t1, ITERATIONS
        li      a1, 3                   # tohost = 3: fail with code 1
        bne     a0, t1, 1f
        beqz    s0, 1f
        li      a1, 1                   # tohost = 1: pass
1:      la      t0, tohost
        sw      a1, 0(t0)
        sw      zero, 4(t0)
2:      j       2b

# mtimecmp += INTERVAL, written so that it never passes through a smaller value.
        .align  2
on_timer:
        addi    s0, s0, 1
        li      t2, MTIMECMP
        lw      t3, 0(t2)
        lw      t4, 4(t2)
        li      t5, INTERVAL
        add     t5, t3, t5
        sltu    t3, t5, t3              # carry out of the low word
        add     t4, t4, t3
        li      t3, -1
        sw      t3, 0(t2)
        sw      t4, 4(t2)
        sw      t5, 0(t2)
        mret

        .data
        .align  12
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
