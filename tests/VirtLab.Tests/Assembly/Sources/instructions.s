# Every RV32I, M, Zicsr and Zifencei instruction, in the order of the spec.
# Assembled by both VirtLab and GNU as; the bytes must be identical.
    .option norvc
    .text
    .globl _start
_start:
    # U-type
    lui     a0, 0x12345
    lui     t6, 0xfffff
    lui     zero, 0
    auipc   a1, 0x1
    auipc   s11, 0xfffff
    # J-type and jalr
    jal     ra, forward
    jal     x5, _start
    jalr    ra, 0(t0)
    jalr    a0, -2048(a1)
    jalr    s1, 2047(t2)
    jalr    t1, t2, 12
forward:
    # B-type
    beq     a0, a1, forward
    bne     t0, t1, later
    blt     s0, s1, _start
    bge     a2, a3, later
    bltu    x31, x1, forward
    bgeu    x1, x31, later
    # loads and stores
    lb      a0, 0(sp)
    lh      a1, -2(sp)
    lw      a2, 2047(s0)
    lbu     a3, -2048(s1)
    lhu     a4, 100(a5)
    lw      t0, (t1)
    sb      a0, 0(sp)
    sh      a1, -2(sp)
    sw      a2, 2047(fp)
    sw      zero, -2048(x31)
    # I-type arithmetic
    addi    a0, a0, 1
    addi    sp, sp, -16
    slti    t0, t1, -2048
    sltiu   t0, t1, 2047
    xori    a0, a1, 0x7ff
    ori     a0, a1, -1
    andi    a0, a1, 255
    slli    a0, a1, 0
    slli    a0, a1, 31
    srli    t0, t1, 7
    srai    t0, t1, 31
    # R-type
    add     a0, a1, a2
    sub     a0, a1, a2
    sll     s2, s3, s4
    slt     s5, s6, s7
    sltu    s8, s9, s10
    xor     t3, t4, t5
    srl     t6, gp, tp
    sra     a6, a7, ra
    or      x1, x2, x3
    and     x29, x30, x31
later:
    # fences and system
    fence   iorw, iorw
    fence   rw, w
    fence   r, r
    fence   i, o
    fence.tso
    fence.i
    ecall
    ebreak
    mret
    wfi
    unimp
    # M extension
    mul     a0, a1, a2
    mulh    a0, a1, a2
    mulhsu  a0, a1, a2
    mulhu   a0, a1, a2
    div     a0, a1, a2
    divu    a0, a1, a2
    rem     a0, a1, a2
    remu    t0, t1, t2
    # Zicsr with names and numbers
    csrrw   t0, mstatus, t1
    csrrs   a0, mtvec, zero
    csrrc   a1, mie, a2
    csrrwi  t0, mscratch, 31
    csrrsi  zero, mstatus, 8
    csrrci  a0, mip, 0
    csrrw   zero, 0x7c0, a0
    csrrs   a0, 3857, zero
    csrrw   t0, mepc, t1
    csrrs   t0, mcause, zero
    csrrs   t0, mtval, zero
    csrrs   t0, misa, zero
    csrrw   t0, medeleg, t1
    csrrw   t0, mideleg, t1
    csrrw   t0, mcounteren, t1
    csrrs   t0, mcycle, zero
    csrrs   t0, minstret, zero
    csrrs   t0, mcycleh, zero
    csrrs   t0, minstreth, zero
    csrrs   t0, mhpmcounter3, zero
    csrrs   t0, mhpmcounter31, zero
    csrrs   t0, mhpmcounter3h, zero
    csrrs   t0, mhpmcounter31h, zero
    csrrw   t0, mhpmevent3, t1
    csrrw   t0, mhpmevent31, t1
    csrrs   t0, cycle, zero
    csrrs   t0, time, zero
    csrrs   t0, instret, zero
    csrrs   t0, cycleh, zero
    csrrs   t0, timeh, zero
    csrrs   t0, instreth, zero
    csrrs   t0, hpmcounter3, zero
    csrrs   t0, hpmcounter31h, zero
    csrrs   t0, mvendorid, zero
    csrrs   t0, marchid, zero
    csrrs   t0, mimpid, zero
    csrrs   t0, mhartid, zero
    csrrw   t0, satp, t1
    csrrw   t0, sstatus, t1
    csrrw   t0, sie, t1
    csrrw   t0, stvec, t1
    csrrw   t0, sscratch, t1
    csrrw   t0, sepc, t1
    csrrw   t0, scause, t1
    csrrw   t0, stval, t1
    csrrw   t0, sip, t1
    csrrw   t0, scounteren, t1
    csrrw   t0, pmpcfg0, t1
    csrrw   t0, pmpcfg1, t1
    csrrw   t0, pmpcfg2, t1
    csrrw   t0, pmpcfg3, t1
    csrrw   t0, pmpaddr0, t1
    csrrw   t0, pmpaddr15, t1
    csrrw   t0, mstatush, t1
    csrrw   t0, mcountinhibit, t1
    csrrw   t0, menvcfg, t1
    csrrw   t0, tselect, t1
    csrrw   t0, dcsr, t1
    csrrw   t0, dpc, t1
    # GNU accepts an immediate where the register-only form is written
    add     a0, a1, 5
    and     a0, a1, 0xf
    csrrw   t0, mtvec, 5
    ret
