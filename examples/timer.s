# timer.s: take N machine timer interrupts from the CLINT, printing a dot in each, then exit.
#
#   dotnet run --project src/VirtLab.Cli -- run examples/timer.s
#
# The CLINT has a 64-bit counter mtime that counts up by itself, and a 64-bit compare register
# mtimecmp per hart. While mtime >= mtimecmp the hart's machine timer interrupt is pending; it is
# taken when mie.MTIE (bit 7) and mstatus.MIE (bit 3) are both set. The handler pushes mtimecmp
# one interval further, which clears the pending interrupt until the next deadline.
# In VirtLab mtime ticks once every 10 hart cycles (Clint.DefaultCyclesPerTick), a 10 MHz timer
# on a 100 MHz hart, so a run is exactly repeatable.

        .equ N, 5                       # interrupts to take
        .equ INTERVAL, 1000             # mtime ticks between interrupts
        .equ UART_THR, 0x10000000
        .equ MTIMECMP, 0x02004000       # CLINT base + 0x4000 (hart 0)
        .equ MTIME, 0x0200BFF8          # CLINT base + 0xBFF8
        .equ MIE_MTIE, 0x80             # mie bit 7: machine timer interrupt enable
        .equ MSTATUS_MIE, 0x8           # mstatus bit 3: machine interrupts enabled
        .equ CAUSE_MTI, 0x80000007      # mcause: interrupt bit 31 + cause 7 (machine timer)

        .text
        .globl _start
_start:
        li      sp, 0x80100000          # a stack at 1 MiB into RAM
        la      t0, trap_handler
        csrw    mtvec, t0               # direct mode: every trap goes to trap_handler
        li      s0, 0                   # s0 = interrupts taken (the handler increments it)

        # First deadline: now + INTERVAL.
        call    read_mtime              # (a1:a0) = mtime
        call    set_deadline            # mtimecmp = (a1:a0) + INTERVAL

        li      t0, MIE_MTIE
        csrs    mie, t0                 # unmask the timer interrupt...
        csrsi   mstatus, MSTATUS_MIE    # ...and turn machine interrupts on

        # Sleep until N interrupts have come. wfi returns when an interrupt is pending; the handler
        # runs, and mret comes back to the instruction after wfi.
        li      s1, N
wait:   wfi
        blt     s0, s1, wait

        csrci   mstatus, MSTATUS_MIE    # interrupts off again
        la      a0, done_message
        call    puts
        li      a0, 0
        j       exit

# ---------------------------------------------------------------- the trap handler
# Saves the registers it uses, checks that this is the timer, prints '.', sets the next deadline.
        .align  2                       # mtvec needs a 4-byte aligned address
trap_handler:
        addi    sp, sp, -16
        sw      ra, 0(sp)
        sw      t0, 4(sp)
        sw      a0, 8(sp)
        sw      a1, 12(sp)

        csrr    t0, mcause
        li      a0, CAUSE_MTI
        bne     t0, a0, unexpected

        li      t0, UART_THR
        li      a0, '.'
        sb      a0, 0(t0)
        addi    s0, s0, 1               # one more interrupt

        # Next deadline: the previous one + INTERVAL (not "now + INTERVAL": ticks don't drift).
        li      t0, MTIMECMP
        lw      a0, 0(t0)
        lw      a1, 4(t0)
        call    set_deadline

        lw      ra, 0(sp)
        lw      t0, 4(sp)
        lw      a0, 8(sp)
        lw      a1, 12(sp)
        addi    sp, sp, 16
        mret                            # back to where the interrupt came in, MIE restored

unexpected:                             # any other trap: fail with code 2
        li      a0, 2
        j       exit

# (a1:a0) = mtime. On RV32 the 64-bit counter is read in two halves; if the high half changed
# between the reads the low half wrapped, so read again.
read_mtime:
        li      t0, MTIME
1:      lw      a1, 4(t0)
        lw      a0, 0(t0)
        lw      t1, 4(t0)
        bne     a1, t1, 1b
        ret

# mtimecmp = (a1:a0) + INTERVAL. Written so that it is never briefly smaller than both the old and
# the new value (which could fire a spurious interrupt): high = -1, then low, then high.
set_deadline:
        li      t0, INTERVAL
        add     t1, a0, t0
        sltu    t2, t1, a0              # carry
        add     t2, a1, t2
        li      t0, MTIMECMP
        li      a0, -1
        sw      a0, 4(t0)
        sw      t1, 0(t0)
        sw      t2, 4(t0)
        ret

# puts(a0): print the 0-terminated string at a0.
puts:
        li      t1, UART_THR
1:      lbu     t0, 0(a0)
        beqz    t0, 2f
        sb      t0, 0(t1)
        addi    a0, a0, 1
        j       1b
2:      ret

# exit(a0): tohost = a0 << 1 | 1, low word first, then the high word.
exit:
        slli    a0, a0, 1
        ori     a0, a0, 1
        la      t0, tohost
        sw      a0, 0(t0)
        sw      zero, 4(t0)
1:      j       1b

        .data
done_message:
        .asciz  "\n5 timer interrupts taken\n"

        .align  3
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        # QEMU's spike machine ignores tohost unless fromhost (the host's reply word) exists too.
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
