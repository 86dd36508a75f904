# count.s: add up 1 + 2 + ... + N in a loop, then print the sum in decimal on the UART.
#
#   dotnet run --project src/VirtLab.Cli -- run examples/count.s
#
# With N = 100000 the sum is 5000050000, which does not fit in 32 bits, so the sum is kept in
# two registers (s1 = high word, s0 = low word) and printed with a 64-bit division by 10 done
# with 32-bit instructions: the kind of thing a compiler does for a uint64_t on RV32.

        .equ N, 100000
        .equ UART_THR, 0x10000000

        .text
        .globl _start
_start:
        li      sp, 0x80100000          # a stack at 1 MiB into RAM (grows down)

        # ---- the loop: (s1:s0) = sum of i for i = 1..N
        li      s0, 0                   # low word of the sum
        li      s1, 0                   # high word of the sum
        li      t0, 1                   # i
        li      t1, N
loop:
        add     s0, s0, t0              # low += i
        sltu    t2, s0, t0              # carry out of the low word: the sum wrapped below i
        add     s1, s1, t2              # high += carry
        addi    t0, t0, 1
        bleu    t0, t1, loop

        # ---- print "sum(1..N) = "
        la      a0, label
        call    puts
        # ---- convert (s1:s0) to decimal: digits come out last-first, so push them on the stack
        mv      a0, s0
        mv      a1, s1
        li      s2, 0                   # number of digits pushed
digits:
        call    divmod10                # (a1:a0) = (a1:a0) / 10, a2 = remainder
        addi    a2, a2, '0'
        addi    sp, sp, -4
        sw      a2, 0(sp)
        addi    s2, s2, 1
        or      t0, a0, a1
        bnez    t0, digits              # until the quotient is 0
        li      t3, UART_THR
pop:
        lw      t0, 0(sp)
        addi    sp, sp, 4
        sb      t0, 0(t3)
        addi    s2, s2, -1
        bnez    s2, pop
        li      t0, '\n'
        sb      t0, 0(t3)

        # ---- check the answer against N(N+1)/2 = 5000050000 = 0x1_2A06_B550, exit 0 if right
        li      t0, 0x2A06B550
        li      t1, 1
        bne     s0, t0, wrong
        bne     s1, t1, wrong
        li      a0, 0
        j       exit
wrong:  li      a0, 1

# exit(a0): tohost = a0 << 1 | 1, low word first, then the high word.
exit:
        slli    a0, a0, 1
        ori     a0, a0, 1
        la      t0, tohost
        sw      a0, 0(t0)
        sw      zero, 4(t0)
1:      j       1b

# puts(a0): print the 0-terminated string at a0.
puts:
        li      t1, UART_THR
1:      lbu     t0, 0(a0)
        beqz    t0, 2f
        sb      t0, 0(t1)
        addi    a0, a0, 1
        j       1b
2:      ret

# divmod10: (a1:a0) = (a1:a0) / 10 and a2 = (a1:a0) % 10, for a 64-bit unsigned (a1:a0).
# Long division in two steps of 32 bits, using that remainders are < 10:
#   high / 10 gives the high word of the quotient and r = high % 10;
#   then (r * 2^32 + low) / 10 is done 16 bits at a time so nothing overflows 32 bits.
divmod10:
        li      t6, 10
        divu    t0, a1, t6              # q_high
        remu    t1, a1, t6              # r < 10
        srli    t2, a0, 16              # upper half of low
        slli    t1, t1, 16
        or      t2, t2, t1              # r * 2^16 + (low >> 16)  (< 10 * 2^16, fits)
        divu    t3, t2, t6              # q_mid
        remu    t1, t2, t6              # r
        slli    t2, t1, 16
        slli    t4, a0, 16
        srli    t4, t4, 16              # low & 0xffff
        or      t2, t2, t4              # r * 2^16 + (low & 0xffff)
        divu    t4, t2, t6              # q_low
        remu    a2, t2, t6              # final remainder
        slli    t3, t3, 16
        or      a0, t3, t4              # low word of the quotient
        mv      a1, t0                  # high word of the quotient
        ret

        .data
label:  .asciz  "sum(1..100000) = "

        .align  3
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        # QEMU's spike machine ignores tohost unless fromhost (the host's reply word) exists too.
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
