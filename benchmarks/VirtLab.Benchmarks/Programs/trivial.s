# trivial.s: exits at once. Timing QEMU on it measures QEMU's start-up, subtracted from the others.
        .text
        .globl _start
_start:
        la      t0, tohost
        li      t1, 1
        sw      t1, 0(t0)
        sw      zero, 4(t0)
1:      j       1b

        .data
        .align  3
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        .size   tohost, 8
