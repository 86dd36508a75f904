# loop.s: the standard bare-metal loop benchmark. Three instructions per iteration (two adds and a
# taken branch), then exit through tohost with success. Nothing else: no memory traffic, no devices,
# so it measures the raw dispatch speed of an interpreter, or the block chaining of a JIT.
# Runs unchanged on QEMU: qemu-system-riscv32 -machine spike -cpu rv32,f=off,d=off -nographic
# -bios none -kernel loop.elf

        .equ ITERATIONS, 100000000      # 300 million instructions in the loop

        .text
        .globl _start
_start:
        li      t0, ITERATIONS
        li      a0, 0
loop:
        addi    a0, a0, 1
        addi    t0, t0, -1
        bnez    t0, loop

        # check the count, so a broken emulator cannot pass by skipping the loop
        li      t1, ITERATIONS
        li      a1, 1                   # tohost = 1: pass
        beq     a0, t1, 1f
        li      a1, 3                   # tohost = 3: fail with code 1
1:      la      t0, tohost
        sw      a1, 0(t0)
        sw      zero, 4(t0)
2:      j       2b

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
