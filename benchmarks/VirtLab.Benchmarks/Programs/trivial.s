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
        # tohost on its own 4 KiB page: QEMU runs code that shares a page with it very slowly
        # (one instruction at a time), which is why riscv-tests give .tohost a page of its own.
        .align  12
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        # QEMU's spike machine ignores tohost unless fromhost (the host's reply word) exists too.
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
