# Every pseudo-instruction, relocation function, local label and data directive VirtLab supports.
    .equ    UART_BASE, 0x10000000
    .set    MASK, (1 << 8) - 1
    .equ    CHAR_A, 'a'
    .text
    .global _start
_start:
    # li: every shape of constant GNU as distinguishes
    li      a0, 0
    li      a0, 1
    li      a0, -1
    li      a0, 2047
    li      a0, -2048
    li      a0, 2048
    li      a0, -2049
    li      a0, 0x1000
    li      a0, 0x12345678
    li      a0, 0x7ffff800
    li      a0, 0x7fffffff
    li      a0, 0x80000000
    li      a0, 0xffffffff
    li      a0, 0xfffff800
    li      a0, 0xdeadbeef
    li      t0, UART_BASE
    li      t1, MASK
    li      t2, CHAR_A
    li      a1, 0b1011
    li      a2, 0777
    li      a3, (3 * 4 + 2) << 2
    li      a4, ~0x0f
    li      a5, 100 / 7
    li      a6, 100 % 7
    li      a7, 0xf0 | 0x0f & 0x3c
    li      s0, 1 + 2 << 3
    li      s1, -(5 - 8)
    # address formation
    la      a0, message
    lla     a1, buffer
    la      a2, _start
    # moves and arithmetic shorthands
    mv      a0, a1
    not     t0, t1
    neg     t2, t3
    seqz    a0, a1
    snez    a0, a1
    sltz    a0, a1
    sgtz    a0, a1
    nop
    # jumps and calls
    j       1f
    jal     function
    jr      t0
    jalr    t1
1:  call    function
    tail    function
    call    t0, function
    # branches against zero and swapped branches
2:  beqz    a0, 2b
    bnez    a0, 2b
    blez    a0, 2b
    bgez    a0, 3f
    bltz    a0, 3f
    bgtz    a0, 3f
    bgt     a0, a1, 2b
    ble     a0, a1, 2b
    bgtu    a0, a1, 3f
    bleu    a0, a1, 3f
3:  # CSR shorthands
    csrr    t0, mstatus
    csrw    mtvec, t0
    csrs    mie, t1
    csrc    mip, t2
    csrwi   mscratch, 7
    csrsi   mstatus, 8
    csrci   mstatus, 31
    csrw    mscratch, 3
    rdcycle     a0
    rdtime      a1
    rdinstret   a2
    rdcycleh    a3
    rdtimeh     a4
    rdinstreth  a5
    fence
    # explicit relocations
    lui     a0, %hi(message)
    addi    a0, a0, %lo(message)
    lw      a1, %lo(buffer)(a0)
    sw      a1, %lo(buffer + 4)(a0)
    lui     t0, %hi(UART_BASE + 0x800)
.Lpcrel:
    auipc   a0, %pcrel_hi(message)
    addi    a0, a0, %pcrel_lo(.Lpcrel)
4:  auipc   t1, %pcrel_hi(buffer + 12)
    lw      t2, %pcrel_lo(4b)(t1)
    sw      t2, %pcrel_lo(4b)(t1)
    # local labels reused
5:  addi    a0, a0, -1
    bnez    a0, 5b
5:  addi    a0, a0, -1
    bnez    a0, 5b
    j       5f
    nop
5:  ret; nop   # two statements on one line
    /* a block comment
       over two lines */ nop
function:
    ret
    .byte 1
    .align 2
    .align 4
    ebreak

    .data
message:
    .asciz  "Hello, VirtLab!\n"
    .ascii  "tab\there \"quoted\" \\ \x41\101\0"
    .string "second"
    .byte   1, 2, 0xff, -1, 'z'
    .align  1
    .half   0x1234, -2
    .short  65535
    .align  2
    .word   0xdeadbeef, _start, message + 4, function - _start
    .4byte  MASK
    .2byte  7
    .balign 8
    .dword  0x123456789abcdef0
    .space  3
    .zero   2
    .space  4, 0xaa
    .p2align 3
table:
    .word   1b, 2b, 3b
    .section .rodata
    .word   message
    .section .sdata, "aw"
tohost:
    .word   0
    .bss
buffer:
    .space  64
