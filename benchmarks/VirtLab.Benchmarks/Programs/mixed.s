# mixed.s: a benchmark with a mix closer to real code: loads, stores, ALU work, multiplies and
# data-dependent branches, over a 4 KiB array (it stays in the host's L1 cache, like a guest's
# working set would in a real CPU's). 14 or 15 instructions per inner iteration.
# Runs unchanged on QEMU's spike machine, like loop.s.
#
# The array is on its own 4 KiB page, as a linker would place data, away from the code: VirtLab
# caches decoded instructions per page, and a store into a page that holds code throws that cache
# away (self-modifying code must work). With the array right after the code, this program ran
# about 10 times slower.

        .equ PASSES, 20000              # passes over the array
        .equ WORDS, 1024                # array length in words (4 KiB)

        .text
        .globl _start
_start:
        li      s0, PASSES
        li      s3, 0                   # checksum
        li      s4, 0x9E3779B1          # multiplier (golden ratio, as in Knuth's multiplicative hash)
pass:
        la      s1, array               # s1 = pointer
        li      s2, WORDS               # s2 = words left
inner:
        lw      t0, 0(s1)               # load
        mul     t1, t0, s4              # multiply
        add     t1, t1, s0              # mix in the pass number
        srli    t2, t1, 7
        xor     t1, t1, t2
        andi    t3, t1, 1
        beqz    t3, even                # data-dependent branch, taken about half the time
        addi    s3, s3, 1               # odd: count it
        j       store
even:
        add     s3, s3, t1              # even: add it to the checksum
store:
        sw      t1, 0(s1)               # store back
        lbu     t4, 1(s1)               # a byte load too
        add     s3, s3, t4
        addi    s1, s1, 4
        addi    s2, s2, -1
        bnez    s2, inner
        addi    s0, s0, -1
        bnez    s0, pass

        # The checksum depends on every load, multiply and branch; exit with success regardless
        # (the benchmark checks the instruction count, not the value) but keep s3 live.
        la      t0, checksum
        sw      s3, 0(t0)
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
checksum: .word 0

        .bss
        .align  12                      # own 4 KiB page: see the note at the top
array:  .space  WORDS * 4
