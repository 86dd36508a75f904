# Start-up for the C programs: stack, trap vector, main(), then exit through HTIF tohost.
    .section .text.init
    .globl _start
_start:
    la sp, stack_top
    la t0, trap_entry
    csrw mtvec, t0
    call main
    slli a0, a0, 1
    ori a0, a0, 1          # tohost = code << 1 | 1 (main returns 0 on success)
    la t0, tohost
    sw a0, 0(t0)
    sw zero, 4(t0)
1:  j 1b

    .align 2
trap_entry:                # C programs do not expect traps: report one as failure 99
    li a0, 199
    la t0, tohost
    sw a0, 0(t0)
    sw zero, 4(t0)
2:  j 2b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .size tohost, 8
    .globl fromhost
fromhost: .dword 0
    .size fromhost, 8
