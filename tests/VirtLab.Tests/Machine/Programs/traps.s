# Trap paths: ecall, ebreak, illegal instruction (mtval = bits), misaligned jump, access fault, timer interrupt,
# read-only CSR write, and a minstret write (a documented QEMU 7.2 deviation, printed on its own line).
    .text
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    la s1, records             # one record per trap
    la s0, _start
    ecall
    ebreak
    .word 0xffffffff           # illegal
    .word 0x02051513           # slli a0, a0, 32: illegal on RV32
    csrw cycle, zero           # read-only: illegal
    csrr a0, cycle             # pure read: fine
    la t0, target
    addi t0, t0, 2
    jalr ra, 0(t0)             # misaligned target
    li t0, 0x40000000          # nothing mapped here on either machine
    lw a0, 0(t0)               # load access fault
    sw a0, 4(t0)               # store access fault
    la s5, records
print:
    bgeu s5, s1, printed
    lw a0, 0(s5)
    call puthex
    lw a0, 4(s5)
    call puthex
    lw a0, 8(s5)
    call puthex
    addi s5, s5, 12
    j print
printed:
    # timer interrupt: deadline a little ahead, then wait for it in wfi
    li t0, 0x0200bff8
    lw t1, 0(t0)
    lw t2, 4(t0)
    addi t3, t1, 200
    sltu t4, t3, t1
    add t2, t2, t4
    li t0, 0x02004000
    li t5, -1
    sw t5, 4(t0)               # no spurious interrupt while the two halves are written
    sw t3, 0(t0)
    sw t2, 4(t0)
    li t0, 0x80
    csrs mie, t0
    li s2, 0
wait:                          # wfi with MIE = 0 (wakes on pending & mie), then open a window to take it
    bnez s2, done
    wfi
    csrsi mstatus, 8
    csrci mstatus, 8
    j wait
done:
    mv a0, s2
    call puthex
    # minstret write: the spec says the writing instruction does not increment it.
    li t0, 1000
    csrw minstret, t0
    csrr a0, minstret
    addi a0, a0, -1000         # 0 per the spec; QEMU 7.2 does not suppress (documented deviation)
    mv s3, a0
    la t2, deviation
    call puts
    mv a0, s3
    call puthex
    li a0, 0
    j exit
target:
    nop
    nop

    .align 2
handler:
    csrr t0, mcause
    bltz t0, interrupt
    sw t0, 0(s1)               # record (mcause, mepc - _start, mtval [- _start if in RAM])
    csrr t1, mepc
    sub t2, t1, s0
    sw t2, 4(s1)
    csrr t2, mtval
    li t3, 3                   # ebreak: mtval may be 0 or the pc (both legal; QEMU 7.2 writes 0, VirtLab the pc)
    bne t0, t3, 7f
    li t2, 0
7:  li t3, 0x80000000
    bltu t2, t3, 1f
    sub t2, t2, s0
1:  sw t2, 8(s1)
    addi s1, s1, 12
    # resume after the trapping instruction (for a misaligned fetch, mepc is the jump itself)
    addi t1, t1, 4
    csrw mepc, t1
    mret
interrupt:
    slli t1, t0, 1
    srli t1, t1, 1
    addi s2, t1, 0x100         # 0x107 for the timer
    li t0, 0x80
    csrc mie, t0
    mret

puts:                          # prints the zero-terminated string at t2 (clobbers t0-t5, a1)
    mv a1, ra
5:  lbu t3, 0(t2)
    beqz t3, 6f
    mv s4, t2
    mv t2, t3
    jal ra, putch
    mv t2, s4
    addi t2, t2, 1
    j 5b
6:  mv ra, a1
    ret

    .data
deviation: .asciz "deviation: minstret after write "
    .align 2
records: .space 12 * 16
    .text
