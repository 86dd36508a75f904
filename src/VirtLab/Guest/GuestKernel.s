# ============================================================================================
# The VirtLab guest kernel.
#
# A tiny operating system for one VM. It is written as if it owned a bare RISC-V machine in
# M-mode: it installs a trap handler with `csrw mtvec`, programs the timer through the CLINT,
# enables interrupts in `mie`/`mstatus`, sleeps with `wfi`, returns from traps with `mret`.
# Under VirtLab's hypervisor it actually runs in U-mode, so every one of those instructions
# traps to the hypervisor, which emulates it against this vCPU's virtual CSRs
# (trap-and-emulate). The kernel cannot tell the difference -- that is the point.
#
# Boot protocol (set up by the hypervisor, like firmware would):
#   a0      = hart id (vCPU index)
#   params  = the parameter block: words the hypervisor (or, on the bare machine, the loader)
#             fills in before the first instruction runs. Its layout is written once, at the end
#             of this file: each word has a label (param_workload, param_arg0, ...) that C# finds
#             in the assembled image's symbols (GuestParameters.WriteTo), and an offset from
#             `params` (PARAM_WORKLOAD, ...) that the code below loads with.
#
# Each workload loops forever and counts finished operations in progress[hartid]. The
# hypervisor reads that word from guest memory (no exit), the way a benchmark inside a VM
# reports its own throughput.
#
# In this file, in order: boot (_start) and the dispatch through a jump table; the workloads,
# whose hot loops are written out inline so that what they execute is plain to see; panic, the
# timer and the trap handler; the page allocator and the routines that allocate and free many
# pages for the workloads (alloc_region, alloc_list, free_list); the balloon driver; the data.
# ============================================================================================

    .equ CLINT_MTIMECMP, 0x02004000     # + 8 * hart: 64-bit deadline
    .equ CLINT_MTIME,    0x0200BFF8     # 64-bit time, shared
    .equ VDEV_BASE,      0x10001000     # virtual block-like device: ADDR, LEN, CMD, DOORBELL
    .equ HC_MAGIC,       0x564C4142     # "VLAB" in a7 marks an ecall as a hypercall
    .equ HC_PUTCHAR,     0              # a6 = function number, a0..a2 = arguments
    .equ HC_NOTIFY,      4
    .equ HC_PANIC,       5
    .equ MAX_HARTS,      8
    .equ STACK_SIZE,     1024
    .equ FRAME_SIZE,     128
    .equ BALLOON_BASE,   0x10002000     # virtio-balloon-like device (see the balloon driver below)
    .equ BALLOON_TARGET, 4              # its registers: offsets from BALLOON_BASE
    .equ BALLOON_ACTUAL, 8
    .equ BALLOON_BATCH_ADDR, 12
    .equ BALLOON_BATCH_COUNT, 16
    .equ BALLOON_COMMAND, 20
    .equ BALLOON_INFLATE, 1             # COMMAND values: the doorbell
    .equ BALLOON_DEFLATE, 2
    .equ BALLOON_BATCH_MAX, 256         # most page numbers per doorbell
    .equ BALLOON_MAX,    4096           # most pages the driver can hold (16 MiB)
    # Offsets of the parameter block's words from `params` (the block itself is at the end).
    .equ PARAM_WORKLOAD, param_workload - params
    .equ PARAM_ARG0,     param_arg0 - params
    .equ PARAM_ARG1,     param_arg1 - params
    .equ PARAM_ARG2,     param_arg2 - params
    .equ PARAM_ARG3,     param_arg3 - params
    .equ PARAM_RAM_SIZE, param_ram_size - params
    .equ PARAM_TICK,     param_tick - params
    .equ PARAM_VCPUS,    param_vcpus - params
    .equ PARAM_BALLOON,  param_balloon - params

    .text
    .globl _start
_start:
    mv      s0, a0                      # s0 = hart id, kept for the whole run
    # Stack: the top of this hart's slot in `stacks`.
    la      sp, stacks
    addi    t0, s0, 1
    slli    t0, t0, 10                  # * STACK_SIZE
    add     sp, sp, t0
    # Trap frame: mscratch points at it, so the handler can find somewhere to save registers.
    la      t0, trapframes
    slli    t1, s0, 7                   # * FRAME_SIZE
    add     t0, t0, t1
    sw      s0, 124(t0)                 # the handler reads the hart id from here
    csrw    mscratch, t0                # trap: privileged CSR write
    la      t0, trap_entry
    csrw    mtvec, t0                   # trap
    # This hart's share of the page allocator.
    mv      a0, s0
    call    palloc_init
    # s1 = &progress[hartid]
    la      s1, progress
    slli    t0, s0, 2
    add     s1, s1, t0
    # Periodic timer interrupt, if the params ask for one.
    la      t0, params
    lw      t1, PARAM_TICK(t0)
    beqz    t1, no_timer
    mv      a0, s0
    call    timer_arm                   # MMIO to the (virtual) CLINT
    li      t0, 0x80                    # mie.MTIE
    csrs    mie, t0                     # trap
    csrsi   mstatus, 8                  # mstatus.MIE: trap
no_timer:
    # Dispatch on params.workload through a jump table, as a compiler does for a dense switch:
    # workload_table[workload] is the address of the workload's code. Every workload starts with
    # s0 = hart id, s1 = &progress[hartid], s2 = arg0, s3 = arg1, and never returns.
    la      t0, params
    lw      t1, PARAM_WORKLOAD(t0)
    lw      s2, PARAM_ARG0(t0)
    lw      s3, PARAM_ARG1(t0)
    li      t2, WORKLOAD_COUNT
    bgeu    t1, t2, unknown_workload    # unsigned: a "negative" number is out of range too
    la      t0, workload_table
    slli    t2, t1, 2                   # 4 bytes per entry
    add     t0, t0, t2
    lw      t0, 0(t0)
    jr      t0
unknown_workload:                       # panic with code 1 and the number
    li      a0, 1
    mv      a1, t1
    j       panic

# The jump table: entry N is workload N (C#'s WorkloadKind has the same numbers).
    .section .rodata
    .balign 4
workload_table:
    .word   w_cpu                       #  0
    .word   w_mem                       #  1
    .word   w_io                        #  2
    .word   w_bursty                    #  3
    .word   w_exit_csr                  #  4
    .word   w_exit_mmio                 #  5
    .word   w_exit_pv                   #  6
    .word   w_scribble                  #  7
    .word   w_bad_vector                #  8
    .word   w_phases                    #  9
    .word   w_wset                      # 10
    .word   w_alu                       # 11
    .word   w_cache                     # 12
workload_table_end:
    .equ WORKLOAD_COUNT, (workload_table_end - workload_table) / 4
    .text

# --------------------------------------------------------------------------------------------
# Workload 0, CPU-bound: an integer hash (multiply, add, shift, xor). arg0 = rounds per op.
# --------------------------------------------------------------------------------------------
w_cpu:
    li      s4, 1103515245
    li      s5, 12345
cpu_op:
    mv      a0, s2
    call    spin
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       cpu_op

# spin(a0 = rounds): CPU work only, uses t0, t1 and s5 (the hash state).
spin:
    beqz    a0, spin_done
    li      t0, 1103515245
spin_loop:
    mul     s5, s5, t0
    addi    s5, s5, 1
    srli    t1, s5, 7
    xor     s5, s5, t1
    addi    a0, a0, -1
    bnez    a0, spin_loop
spin_done:
    ret

# --------------------------------------------------------------------------------------------
# Workload 11, ALU-bound with parallelism: arg0 rounds of four independent chains (add, shift,
# xor), the shape of unrolled checksum or hashing code over several streams. Unlike spin, whose
# every step waits for the one before (and for a multiply), a core can issue these as fast as it
# has ALU ports.
# --------------------------------------------------------------------------------------------
w_alu:
    li      s4, 1
    li      s5, 2
    li      s6, 3
    li      s7, 4
alu_op:
    mv      a0, s2
    beqz    a0, alu_count
alu_loop:
    addi    s4, s4, 7
    addi    s5, s5, 11
    addi    s6, s6, 13
    addi    s7, s7, 17
    slli    t0, s4, 3
    srli    t1, s5, 5
    slli    t2, s6, 2
    srli    t3, s7, 3
    xor     s4, s4, t0
    xor     s5, s5, t1
    xor     s6, s6, t2
    xor     s7, s7, t3
    addi    a0, a0, -1
    bnez    a0, alu_loop
alu_count:
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       alu_op

# --------------------------------------------------------------------------------------------
# Workload 1, memory-bound: a working set of arg0 pages from the page allocator, walked with a
# stride of arg1 bytes (load, add, store). One op = 64 accesses. The first pass touches every
# page for the first time: those are the guest page faults that make the hypervisor hand out
# host frames.
# --------------------------------------------------------------------------------------------
w_mem:
    mv      a3, s2
    call    alloc_region
    mv      s7, a4                      # s7 = base (first page)
    slli    s8, s2, 12                  # s8 = working set in bytes
    li      s9, 0                       # offset
    bnez    s3, mem_loop
    li      s3, 64                      # default stride: one cache line
mem_loop:
    li      s10, 64
mem_inner:
    add     t0, s7, s9
    lw      t1, 0(t0)
    addi    t1, t1, 1
    sw      t1, 0(t0)
    add     s9, s9, s3
    bltu    s9, s8, mem_nowrap
    sub     s9, s9, s8
mem_nowrap:
    addi    s10, s10, -1
    bnez    s10, mem_inner
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       mem_loop

# --------------------------------------------------------------------------------------------
# Workload 12, read-mostly data that identical guests hold alike, like the same files in every
# guest's page cache or the same shared libraries. Allocates arg0 pages (as workload 1 does) and
# fills them once, each word with a value computed from its offset in the region (not from its
# address), so every guest running this workload holds pages with the same bytes. Then it reads
# them over and over, one cache line at a time. Nothing writes the pages again, so once the host's
# page sharing has found them they stay shared.
# --------------------------------------------------------------------------------------------
w_cache:
    mv      a3, s2
    call    alloc_region
    mv      s7, a4                      # s7 = base (first page)
    slli    s8, s2, 12                  # s8 = region size in bytes
    li      t0, 0                       # offset
    li      t3, 0x9E3779B1              # Knuth's multiplicative hash constant: spreads the values
cache_fill_loop:
    bgeu    t0, s8, cache_read
    mul     t1, t0, t3                  # the value depends on the offset alone
    srli    t2, t1, 15
    xor     t1, t1, t2
    add     t2, s7, t0
    sw      t1, 0(t2)
    addi    t0, t0, 4
    j       cache_fill_loop
cache_read:
    li      s9, 0                       # offset
    li      s10, 0                      # running sum of what was read
cache_loop:
    li      t3, 64
cache_inner:
    add     t0, s7, s9
    lw      t1, 0(t0)
    add     s10, s10, t1
    addi    s9, s9, 64                  # the next cache line
    bltu    s9, s8, cache_nowrap
    li      s9, 0
cache_nowrap:
    addi    t3, t3, -1
    bnez    t3, cache_inner
    lw      t1, 0(s1)                   # one op done
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       cache_loop

# --------------------------------------------------------------------------------------------
# Workload 9, memory demand in phases: after sleeping arg2 ticks, allocate arg0 pages from the kernel's allocator, then walk
# them (one op = one load/add/store in every page) for arg1 ticks; free them all and sleep for
# arg3 ticks; repeat. While it sleeps, the freed pages sit on the kernel's free list: exactly the
# memory a balloon driver can hand to the host. If the kernel runs out of pages while the balloon
# holds some, deflate-on-OOM (in palloc) takes them back instead of failing.
# --------------------------------------------------------------------------------------------
w_phases:
    la      t0, params
    lw      a0, PARAM_ARG2(t0)          # ticks to sleep before the first phase
    call    sleep_ticks
ph_phase:
    mv      a3, s2
    li      a4, 0
    call    alloc_list
    mv      s6, a4                      # s6 = head of the list of our pages (word 0 links them)
    la      s8, ticks
    slli    t1, s0, 2
    add     s8, s8, t1
    lw      s9, 0(s8)
    add     s9, s9, s3                  # s9 = tick at which the busy phase ends
ph_walk:
    mv      t0, s6
ph_page:
    lw      t1, 64(t0)
    addi    t1, t1, 1
    sw      t1, 64(t0)
    lw      t0, 0(t0)
    bnez    t0, ph_page
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    lw      t1, 0(s8)
    bltu    t1, s9, ph_walk
    mv      a4, s6                      # give every page back to the kernel
    call    free_list
    la      t0, params
    lw      a0, PARAM_ARG3(t0)          # ticks to sleep between busy phases
    call    sleep_ticks
    j       ph_phase

# --------------------------------------------------------------------------------------------
# Workload 10, a working set inside memory the guest has touched: after sleeping arg2 ticks (VMs
# booted one after another), allocate arg1 pages,
# write each once and free them all (the way a guest's page cache and boot-time allocations fill
# its RAM), then allocate arg0 pages and walk them forever (one op = one load/add/store in every
# page). The touched pages outside the working set sit on the kernel's free list: the balloon
# driver can hand exactly those to the host, while a hypervisor swapping at random cannot tell
# them from the working set.
# --------------------------------------------------------------------------------------------
w_wset:
    la      t0, params
    lw      a0, PARAM_ARG2(t0)          # ticks to sleep first
    call    sleep_ticks
    mv      a3, s3                      # touch arg1 pages: the list's links are the touches,
    li      a4, 0                       # each first write faults a frame in
    call    alloc_list
    call    free_list                   # all of them back on the free list, still backed by frames
    mv      a3, s2                      # the working set: arg0 pages, reused from the free list
    li      a4, 0
    call    alloc_list
    mv      s6, a4
ws_walk:
    mv      t0, s6
ws_page:
    lw      t1, 64(t0)
    addi    t1, t1, 1
    sw      t1, 64(t0)
    lw      t0, 0(t0)
    bnez    t0, ws_page
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       ws_walk

# --------------------------------------------------------------------------------------------
# Workload 2, I/O-like: a little CPU work (arg0 rounds), then sleep for arg1 timer ticks in
# WFI, as a process waiting for a device would. One op = one work+sleep cycle.
# --------------------------------------------------------------------------------------------
w_io:
    li      s5, 12345
io_op:
    mv      a0, s2
    call    spin
    mv      a0, s3
    call    sleep_ticks
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       io_op

# sleep_ticks(a0 = ticks): WFI until this hart's tick count has advanced by a0.
sleep_ticks:
    la      t0, ticks
    slli    t1, s0, 2
    add     t0, t0, t1
    lw      t1, 0(t0)
    add     t1, t1, a0                  # wake-up tick
sleep_loop:
    lw      t2, 0(t0)
    bgeu    t2, t1, sleep_done          # (ticks only grow; fine for the run lengths we use)
    wfi                                 # trap: the hypervisor deschedules this vCPU
    j       sleep_loop
sleep_done:
    ret

# --------------------------------------------------------------------------------------------
# Workload 3, bursty: compute for arg0 ticks (ops of 100 rounds), then sleep for arg1 ticks.
# --------------------------------------------------------------------------------------------
w_bursty:
    li      s5, 12345
burst_phase:
    la      s6, ticks
    slli    t1, s0, 2
    add     s6, s6, t1
    lw      s7, 0(s6)
    add     s7, s7, s2                  # end of the busy phase
burst_busy:
    li      a0, 100
    call    spin
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    lw      t1, 0(s6)
    bltu    t1, s7, burst_busy
    mv      a0, s3
    call    sleep_ticks
    j       burst_phase

# --------------------------------------------------------------------------------------------
# Workload 4, exit-heavy, trapping CSRs: each op reads and writes mscratch-like state the way a
# kernel saves and restores a context (csrr + csrw = 2 exits), then arg0 rounds of work.
# --------------------------------------------------------------------------------------------
w_exit_csr:
    li      s5, 12345
csr_op:
    csrr    t0, mepc                    # trap
    addi    t0, t0, 4
    csrw    mepc, t0                    # trap
    mv      a0, s2
    call    spin
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       csr_op

# --------------------------------------------------------------------------------------------
# Workload 5, exit-heavy, trapping MMIO: each op programs the virtual device register by
# register (ADDR, LEN, CMD, DOORBELL: 4 MMIO exits), then arg0 rounds of work.
# --------------------------------------------------------------------------------------------
w_exit_mmio:
    li      s5, 12345
    li      s6, VDEV_BASE
    la      s7, io_buffer
mmio_op:
    sw      s7, 0(s6)                   # ADDR     (exit)
    li      t0, 512
    sw      t0, 4(s6)                   # LEN      (exit)
    li      t0, 1
    sw      t0, 8(s6)                   # CMD=read (exit)
    sw      t0, 12(s6)                  # DOORBELL (exit)
    mv      a0, s2
    call    spin
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       mmio_op

# --------------------------------------------------------------------------------------------
# Workload 6, exit-heavy, paravirtual: the same request as workload 5, but the guest knows it
# is virtualized. It writes the request into a descriptor in its own RAM (no exits) and makes
# one hypercall to notify the device (1 exit instead of 4) -- the virtio idea.
# --------------------------------------------------------------------------------------------
w_exit_pv:
    li      s5, 12345
    la      s6, descriptor
    la      s7, io_buffer
pv_op:
    sw      s7, 0(s6)                   # ADDR
    li      t0, 512
    sw      t0, 4(s6)                   # LEN
    li      t0, 1
    sw      t0, 8(s6)                   # CMD=read
    mv      a0, s6
    li      a6, HC_NOTIFY
    li      a7, HC_MAGIC
    ecall                               # hypercall (1 exit)
    mv      a0, s2
    call    spin
    lw      t1, 0(s1)
    addi    t1, t1, 1
    sw      t1, 0(s1)
    j       pv_op

# --------------------------------------------------------------------------------------------
# Workload 7, misbehaving: stores outside its RAM (a "scribbler"). The access faults, the fault
# is reflected into this kernel's trap handler, which panics. The hypervisor stops the VM.
# --------------------------------------------------------------------------------------------
w_scribble:
    li      t0, 0x40000000
    sw      t0, 0(t0)
    j       w_scribble

# --------------------------------------------------------------------------------------------
# Workload 8, misbehaving: points mtvec at nothing and faults, so every trap faults again.
# The hypervisor notices the fault loop and stops the VM.
# --------------------------------------------------------------------------------------------
w_bad_vector:
    csrw    mtvec, zero
    ebreak
    j       w_bad_vector

# --------------------------------------------------------------------------------------------
# panic(a0 = code, a1 = detail): tell the hypervisor and stop.
# --------------------------------------------------------------------------------------------
panic:
    li      a6, HC_PANIC
    li      a7, HC_MAGIC
    ecall
    j       panic

# --------------------------------------------------------------------------------------------
# timer_arm(a0 = hart id): mtimecmp[hart] = mtime + params.tick_interval.
# Uses t0..t2 only (the trap handler saves exactly those).
# --------------------------------------------------------------------------------------------
timer_arm:
    li      t0, CLINT_MTIME
    lw      t1, 0(t0)                   # MMIO exit
    lw      t2, 4(t0)                   # MMIO exit
    la      t0, params
    lw      t0, PARAM_TICK(t0)
    add     t0, t1, t0                  # low word of the new deadline
    sltu    t1, t0, t1                  # carry
    add     t2, t2, t1
    li      t1, CLINT_MTIMECMP
    slli    a0, a0, 3
    add     t1, t1, a0
    sw      t2, 4(t1)                   # high word first: the deadline only moves later
    sw      t0, 0(t1)                   # MMIO exit
    ret

# --------------------------------------------------------------------------------------------
# The trap handler. Saves what it uses in this hart's trap frame (found via mscratch).
# Timer interrupt: count a tick and re-arm. Anything else is unexpected here: panic.
# --------------------------------------------------------------------------------------------
    .balign 4
trap_entry:
    csrrw   sp, mscratch, sp            # sp = trap frame, mscratch = interrupted sp (trap)
    sw      ra, 0(sp)
    sw      t0, 4(sp)
    sw      t1, 8(sp)
    sw      t2, 12(sp)
    sw      a0, 16(sp)
    sw      a1, 20(sp)
    sw      a6, 24(sp)
    sw      a7, 28(sp)
    sw      t3, 32(sp)                  # the balloon driver, which runs from here, uses these too
    sw      t4, 36(sp)
    sw      t5, 40(sp)
    sw      t6, 44(sp)
    sw      a2, 48(sp)
    sw      a3, 52(sp)
    sw      a4, 56(sp)
    sw      a5, 60(sp)
    csrr    t0, mcause                  # trap
    bgez    t0, trap_exception          # bit 31 clear: an exception
    andi    t0, t0, 0xff
    li      t1, 7
    bne     t0, t1, trap_unexpected
    lw      a0, 124(sp)                 # hart id
    la      t0, ticks
    slli    t1, a0, 2
    add     t0, t0, t1
    lw      t1, 0(t0)
    addi    t1, t1, 1
    sw      t1, 0(t0)
    call    timer_arm
    # Once per tick, hart 0 runs the balloon driver (if the params enable it).
    lw      a0, 124(sp)
    bnez    a0, trap_return
    la      t0, params
    lw      t0, PARAM_BALLOON(t0)
    beqz    t0, trap_return
    call    balloon_poll
trap_return:
    lw      t3, 32(sp)
    lw      t4, 36(sp)
    lw      t5, 40(sp)
    lw      t6, 44(sp)
    lw      a2, 48(sp)
    lw      a3, 52(sp)
    lw      a4, 56(sp)
    lw      a5, 60(sp)
    lw      ra, 0(sp)
    lw      t0, 4(sp)
    lw      t1, 8(sp)
    lw      t2, 12(sp)
    lw      a0, 16(sp)
    lw      a1, 20(sp)
    lw      a6, 24(sp)
    lw      a7, 28(sp)
    csrrw   sp, mscratch, sp            # trap
    mret                                # trap: privileged instruction
trap_exception:
    mv      a0, t0                      # code = mcause
    csrr    a1, mtval                   # detail = the bad address or instruction
    j       panic
trap_unexpected:
    li      a0, 3
    mv      a1, t0
    j       panic

# --------------------------------------------------------------------------------------------
# The page allocator: each hart owns an equal slice of the RAM above the kernel image, so no
# lock is needed (RV32IM has no atomics). palloc is a bump allocator with a free list.
# When a hart runs out, deflate-on-OOM takes a page back from the balloon; the balloon belongs to
# hart 0 alone, so other harts ask hart 0 for the page (see balloon_take_one).
# State per hart: [next, end, free list head, unused].
# --------------------------------------------------------------------------------------------
palloc_init:                            # a0 = hart id
    la      t0, params
    lw      t1, PARAM_RAM_SIZE(t0)      # RAM size in bytes
    lw      t2, PARAM_VCPUS(t0)         # number of vCPUs
    li      t3, 0x80000000
    add     t1, t1, t3                  # end of RAM
    la      t3, heap_start
    sub     t1, t1, t3                  # bytes above the image
    divu    t1, t1, t2                  # per hart
    srli    t1, t1, 12
    slli    t1, t1, 12                  # whole pages
    mul     t4, t1, a0
    add     t4, t4, t3                  # this hart's first page
    add     t5, t4, t1                  # and the end of its slice
    la      t6, palloc_state
    slli    t0, a0, 4
    add     t6, t6, t0
    sw      t4, 0(t6)
    sw      t5, 4(t6)
    sw      zero, 8(t6)
    ret

# palloc(a0 = hart id) -> a0 = page address, or 0 when out of memory. Called by workloads with
# interrupts on. The balloon driver, which runs in hart 0's timer interrupt, edits the same free
# list, so palloc raises this hart's palloc_busy flag while it works and the driver skips a tick
# that interrupts it (the kernel's "preempt-disable": two plain stores, where masking interrupts
# would cost two trapping CSR writes). Uses t0..t4, a0..a2.
palloc:
    la      t4, palloc_busy
    slli    t0, a0, 2
    add     t4, t4, t0                  # t4 = &palloc_busy[hart]
    li      t0, 1
    sw      t0, 0(t4)
    mv      t3, ra
    call    palloc_nolock
    bnez    a0, palloc_out
    # Deflate-on-OOM: the kernel is out of pages. Rather than fail, take one back from the balloon.
    la      t0, palloc_busy
    sub     a0, t4, t0
    srli    a0, a0, 2                   # a0 = hart id again (palloc_nolock returned 0 in it)
    call    balloon_take_one
palloc_out:
    mv      ra, t3
    sw      zero, 0(t4)
    ret

palloc_nolock:                          # palloc without the busy flag (caller holds it or is the driver); uses t0..t2, a0
    la      t0, palloc_state
    slli    t1, a0, 4
    add     t0, t0, t1
    lw      t1, 8(t0)                   # free list head
    beqz    t1, palloc_bump
    lw      t2, 0(t1)                   # next free page
    sw      t2, 8(t0)
    mv      a0, t1
    ret
palloc_bump:
    lw      t1, 0(t0)
    lw      t2, 4(t0)
    bgeu    t1, t2, palloc_none
    li      t2, 4096
    add     t2, t1, t2
    sw      t2, 0(t0)
    mv      a0, t1
    ret
palloc_none:
    li      a0, 0
    ret

pfree_safe:                             # a0 = hart id, a1 = page; pfree under the busy flag (see palloc)
    la      t2, palloc_busy
    slli    t0, a0, 2
    add     t2, t2, t0
    li      t0, 1
    sw      t0, 0(t2)
    la      t0, palloc_state
    slli    t1, a0, 4
    add     t0, t0, t1
    lw      t1, 8(t0)
    sw      t1, 0(a1)                   # the page's first word links the free list
    sw      a1, 8(t0)
    sw      zero, 0(t2)
    ret

pfree:                                  # a0 = hart id, a1 = page (caller holds the busy flag, or is the driver)
    la      t0, palloc_state
    slli    t1, a0, 4
    add     t0, t0, t1
    lw      t1, 8(t0)
    sw      t1, 0(a1)
    sw      a1, 8(t0)
    ret

# --------------------------------------------------------------------------------------------
# Many pages at once, for the workloads. Each routine loops over palloc or pfree_safe for this
# hart (s0), so it keeps its return address in a5 (palloc and pfree_safe leave a3..a5 alone) and
# needs no stack. They use t0..t4 and a0..a5; the caller's s registers are untouched. Running out
# of memory, even after deflate-on-OOM, is a kernel panic (code 2, detail: the workload's arg0).
# --------------------------------------------------------------------------------------------

# alloc_region(a3 = pages) -> a4 = the first page. Pages come from the bump allocator one after
# another, so on a fresh hart (empty free list) they form one region from a4 on.
alloc_region:
    mv      a5, ra
    li      a4, 0
alloc_region_next:
    beqz    a3, alloc_region_done
    mv      a0, s0
    call    palloc
    beqz    a0, mem_oom
    bnez    a4, alloc_region_more
    mv      a4, a0                      # the first page is the region's base
alloc_region_more:
    addi    a3, a3, -1
    j       alloc_region_next
alloc_region_done:
    mv      ra, a5
    ret

# alloc_list(a3 = pages, a4 = a list) -> a4 = the list with a3 more pages in front. A list links
# its pages through their first words (0 ends it), so allocating a page also writes to it.
alloc_list:
    mv      a5, ra
alloc_list_next:
    beqz    a3, alloc_list_done
    mv      a0, s0
    call    palloc
    beqz    a0, mem_oom
    sw      a4, 0(a0)                   # link the page in front of the list
    mv      a4, a0
    addi    a3, a3, -1
    j       alloc_list_next
alloc_list_done:
    mv      ra, a5
    ret

# free_list(a4 = a list) -> a4 = 0: every page of the list back on this hart's free list.
free_list:
    mv      a5, ra
free_list_next:
    beqz    a4, free_list_done
    mv      a1, a4
    lw      a4, 0(a4)                   # the next page, read before pfree reuses the link word
    mv      a0, s0
    call    pfree_safe
    j       free_list_next
free_list_done:
    mv      ra, a5
    ret

mem_oom:                                # out of memory: panic with code 2
    li      a0, 2
    mv      a1, s2
    j       panic

# ============================================================================================
# The balloon driver.
#
# The host cannot see which of the guest's pages are free: only this kernel knows. So when the
# host is short of memory it asks the guest, through the balloon device, to "inflate a balloon"
# of TARGET pages. The driver allocates that many pages from the kernel's own free list, exactly
# as any kernel user would, so the kernel will not use them, and tells the host their numbers.
# The host then frees the frames behind them and gives them to other VMs. To give memory back
# ("deflate") the host lowers TARGET; the driver tells the host which pages it takes back, then
# returns them to the free list. The guest decides which pages go: the host never guesses.
#
# Device registers (BALLOON_BASE + offset), every access an MMIO exit:
#    4 TARGET       pages the host wants in the balloon          (read)
#    8 ACTUAL       pages the driver holds                       (write)
#   12 BATCH_ADDR   guest address of an array of page numbers    (write)
#   16 BATCH_COUNT  how many numbers, at most 256                (write)
#   20 COMMAND      1 = inflate, 2 = deflate: the doorbell       (write)
#   24 ACCEPTED     how many the host accepted                   (read)
#
# The driver keeps the page numbers it holds in balloon_pages[0 .. balloon_count). An inflate
# appends to the array and reports the new tail as one batch; a deflate reports the tail and
# then pops it. A page number is the page's address / 4096.
#
# balloon_poll runs in the timer interrupt of hart 0 (interrupts off), once per tick. It moves
# at most one batch of 256 pages per tick: a rate limit, like the real drivers. Only hart 0 ever
# touches the balloon (balloon_count, balloon_pages and the device's batch registers), so there
# is nothing to lock; first it answers the other harts' deflate-on-OOM requests. The batch
# itself is moved by balloon_inflate or balloon_deflate, below.
# Uses t0..t6, a0..a5 (the trap handler saved them) and the trap frame's slot 64 for ra.
# --------------------------------------------------------------------------------------------
balloon_poll:
    sw      ra, 64(sp)
    la      t0, palloc_busy
    lw      t0, 0(t0)                   # interrupted hart 0 inside palloc? then leave the free
    bnez    t0, bp_done                 # list alone and try again next tick
    # Answer deflate-on-OOM requests of harts 1..n-1: each is waiting for a page.
    la      t0, params
    lw      a4, PARAM_VCPUS(t0)         # a4 = number of harts
    li      a3, 1                       # a3 = the hart looked at
bp_serve:
    bgeu    a3, a4, bp_served
    slli    t6, a3, 2                   # t6 = 4 * hart: offset in the per-hart words
    la      t0, oom_ticket
    add     t0, t0, t6
    lw      a5, 0(t0)                   # a5 = that hart's latest request number
    la      t0, oom_served
    add     t0, t0, t6
    lw      t1, 0(t0)
    beq     a5, t1, bp_serve_next       # nothing new from it
    call    bto_take                    # a0 = a page taken out of the balloon, or 0
    la      t0, oom_page
    add     t0, t0, t6
    sw      a0, 0(t0)                   # first the answer ...
    fence   w, w                        # (on real hardware: make it visible before the next store)
    la      t0, oom_served
    add     t0, t0, t6
    sw      a5, 0(t0)                   # ... then "request a5 answered"
bp_serve_next:
    addi    a3, a3, 1
    j       bp_serve
bp_served:
    li      t3, BALLOON_BASE
    lw      a2, BALLOON_TARGET(t3)      # a2 = TARGET (MMIO exit)
    li      t0, BALLOON_MAX
    bleu    a2, t0, bp_target_ok
    mv      a2, t0                      # the driver cannot hold more than BALLOON_MAX pages
bp_target_ok:
    la      t5, balloon_count
    lw      a3, 0(t5)                   # a3 = pages held now
    bltu    a3, a2, bp_inflate
    bltu    a2, a3, bp_deflate
    j       bp_done

bp_inflate:
    sub     a0, a2, a3                  # a0 = pages still to give
    li      t0, BALLOON_BATCH_MAX
    bleu    a0, t0, bp_inflate_go
    mv      a0, t0                      # one batch of at most 256 per tick
bp_inflate_go:
    call    balloon_inflate
    j       bp_done

bp_deflate:
    sub     a0, a3, a2                  # a0 = pages to take back
    li      t0, BALLOON_BATCH_MAX
    bleu    a0, t0, bp_deflate_go
    mv      a0, t0
bp_deflate_go:
    call    balloon_deflate             # then on to bp_done

bp_done:
    lw      ra, 64(sp)
    ret

# --------------------------------------------------------------------------------------------
# The two routines that move a batch of pages between the kernel's free list and the balloon.
# Each one can be replaced by other source when the kernel is assembled (GuestKernel.Assemble in
# C#): the lines from "BEGIN REPLACEABLE name" to "END REPLACEABLE name" give way to it. The
# calling convention a replacement must keep:
#   - it runs in hart 0's timer interrupt, with interrupts off, and only when hart 0 was not
#     inside palloc: nothing else edits hart 0's free list or the balloon meanwhile;
#   - it may change t0..t6 and a0..a5 (the trap handler saved them) and must leave every other
#     register as it found it (s0..s11, sp, gp, tp); it returns with `ret`;
#   - it may call palloc_nolock (a0 = 0 -> a0 = a page of hart 0, or 0 when there is none; uses
#     t0..t2 and a0) and pfree (a0 = 0, a1 = the page; uses t0, t1). Both change ra: keep yours
#     in a register they leave alone (t3..t6, a2..a5);
#   - it may use balloon_count (a word: the pages the balloon holds), balloon_pages (their page
#     numbers, BALLOON_MAX words), the device at BALLOON_BASE and the BALLOON_* names above.
# --------------------------------------------------------------------------------------------

# BEGIN REPLACEABLE balloon_inflate
# balloon_inflate(a0 = pages wanted, 1..256) -> a0 = pages given.
# Takes up to a0 pages from hart 0's free list, appends their page numbers to balloon_pages
# after the balloon_count already there, and reports them to the host as one batch
# (BATCH_ADDR, BATCH_COUNT, then COMMAND = inflate), after which the host takes their frames
# away. Then balloon_count and the device's ACTUAL count them. Gives fewer when the free list
# runs dry, and reports nothing when it gives none.
balloon_inflate:
    mv      t6, ra
    mv      a4, a0                      # a4 = pages wanted
    la      t5, balloon_count
    lw      a3, 0(t5)                   # a3 = pages held now
    li      t3, BALLOON_BASE
    li      a5, 0                       # a5 = pages taken for this batch
bi_take:
    beq     a5, a4, bi_report
    li      a0, 0
    call    palloc_nolock               # a page from the kernel's own free list (hart 0's share)
    beqz    a0, bi_report               # the guest has no free page left: give what we have
    srli    a0, a0, 12                  # address -> page number
    add     t0, a3, a5                  # store at balloon_pages[count + taken]
    slli    t0, t0, 2
    la      t1, balloon_pages
    add     t0, t0, t1
    sw      a0, 0(t0)
    addi    a5, a5, 1
    j       bi_take
bi_report:
    beqz    a5, bi_done
    slli    t0, a3, 2                   # the batch is the new tail of balloon_pages
    la      t1, balloon_pages
    add     t0, t0, t1
    sw      t0, BALLOON_BATCH_ADDR(t3)
    sw      a5, BALLOON_BATCH_COUNT(t3)
    li      t0, BALLOON_INFLATE
    sw      t0, BALLOON_COMMAND(t3)     # the doorbell: the host frees the frames now
    add     a3, a3, a5
    sw      a3, 0(t5)                   # balloon_count += taken
    sw      a3, BALLOON_ACTUAL(t3)
bi_done:
    mv      a0, a5
    mv      ra, t6
    ret
# END REPLACEABLE balloon_inflate

# BEGIN REPLACEABLE balloon_deflate
# balloon_deflate(a0 = pages to take back, 1..256, at most balloon_count).
# Reports the last a0 page numbers of balloon_pages to the host as one batch (BATCH_ADDR,
# BATCH_COUNT, then COMMAND = deflate), so that it gives their frames back, lowers
# balloon_count and the device's ACTUAL, and only then puts the pages on hart 0's free list: a
# page must not be used before the host has backed it again.
balloon_deflate:
    mv      t6, ra
    mv      a4, a0                      # a4 = pages to take back
    la      t5, balloon_count
    lw      a3, 0(t5)
    li      t3, BALLOON_BASE
    sub     a3, a3, a4                  # the batch is balloon_pages[count - a4 .. count)
    slli    t0, a3, 2
    la      t1, balloon_pages
    add     a5, t0, t1                  # a5 = &balloon_pages[new count]
    sw      a5, BALLOON_BATCH_ADDR(t3)
    sw      a4, BALLOON_BATCH_COUNT(t3)
    li      t0, BALLOON_DEFLATE
    sw      t0, BALLOON_COMMAND(t3)     # tell the host first, then use the pages
    sw      a3, 0(t5)                   # balloon_count -= a4
    sw      a3, BALLOON_ACTUAL(t3)
bd_free:
    beqz    a4, bd_done
    lw      a1, 0(a5)
    slli    a1, a1, 12                  # page number -> address
    li      a0, 0
    call    pfree                       # back on the kernel's free list
    addi    a5, a5, 4
    addi    a4, a4, -1
    j       bd_free
bd_done:
    mv      ra, t6
    ret
# END REPLACEABLE balloon_deflate

# --------------------------------------------------------------------------------------------
# balloon_take_one(a0 = hart id) -> a0 = page address, or 0 if the balloon is empty.
# Deflate-on-OOM: called by palloc (palloc_busy raised) when the hart has no free page. It takes
# the last page of the balloon, tells the host (a deflate of one page), and hands the page to the
# caller instead of failing. The host sees the balloon shrink below its target; the next poll may
# inflate again once the guest has freed memory.
#
# The balloon is hart 0's: its driver edits balloon_count, balloon_pages and the device's batch
# registers from hart 0's timer interrupt. Without atomics (RV32IM has no A extension) two harts
# must not both edit them, so:
#   - hart 0 takes the page itself (its driver cannot run meanwhile: palloc_busy[0] is up);
#   - any other hart posts a request and sleeps until hart 0's next poll answers it. Every word
#     of the exchange has a single writer, which is all the synchronization it needs:
#       oom_ticket[h]  written by hart h:  the number of its latest request
#       oom_page[h]    written by hart 0:  the page it took for hart h (0: the balloon was empty)
#       oom_served[h]  written by hart 0:  the number of the latest request it answered
# Uses t0..t2, a0..a2.
# --------------------------------------------------------------------------------------------
balloon_take_one:
    la      t0, params
    lw      t0, PARAM_BALLOON(t0)
    beqz    t0, bto_none                # no balloon driver in this guest
    bnez    a0, bto_ask_hart0
bto_take:                               # hart 0 only (palloc on hart 0, or the driver answering a request)
    la      t0, balloon_count
    lw      t1, 0(t0)
    beqz    t1, bto_none
    addi    t1, t1, -1
    sw      t1, 0(t0)                   # balloon_count -= 1
    slli    t2, t1, 2
    la      a0, balloon_pages
    add     t2, t2, a0                  # t2 = &balloon_pages[count]
    li      a1, BALLOON_BASE
    sw      t2, BALLOON_BATCH_ADDR(a1)
    li      a2, 1
    sw      a2, BALLOON_BATCH_COUNT(a1) # one page
    li      a2, BALLOON_DEFLATE
    sw      a2, BALLOON_COMMAND(a1)
    sw      t1, BALLOON_ACTUAL(a1)
    lw      a0, 0(t2)
    slli    a0, a0, 12                  # page number -> address
    ret
bto_ask_hart0:                          # hart a0 != 0: ask hart 0 and wait
    la      t0, balloon_count
    lw      t1, 0(t0)                   # (hart 0's word: only a hint here)
    beqz    t1, bto_none                # an empty balloon: no page will come, do not wait
    slli    t2, a0, 2                   # t2 = 4 * hart
    la      t0, oom_ticket
    add     t0, t0, t2
    lw      t1, 0(t0)
    addi    t1, t1, 1                   # t1 = the number of this request
    sw      t1, 0(t0)                   # post it
    la      a1, oom_served
    add     a1, a1, t2
bto_wait:
    lw      a2, 0(a1)
    beq     a2, t1, bto_answered
    wfi                                 # sleep to this hart's next timer tick; hart 0 answers in its own
    j       bto_wait
bto_answered:
    fence   r, r                        # (on real hardware: read the answer only after seeing it was given)
    la      a0, oom_page
    add     a0, a0, t2
    lw      a0, 0(a0)                   # the page, or 0 if the balloon had emptied meanwhile
    ret
bto_none:
    li      a0, 0
    ret

# ============================================================================================
    .data
    .balign 4096                        # data on its own pages: stores never hit a page holding code
    # The parameter block, filled in before boot by GuestParameters.WriteTo (C#), which finds
    # each word by its label. The values here are what a kernel loaded without it sees.
    .globl params
params:
param_workload: .word 0                 # which workload runs (the WorkloadKind number)
param_arg0:     .word 0                 # the workload's four arguments (see each workload)
param_arg1:     .word 0
param_arg2:     .word 0
param_arg3:     .word 0
param_ram_size: .word 0                 # RAM size in bytes
param_tick:     .word 0                 # timer tick interval in mtime ticks (0 = no timer)
param_vcpus:    .word 1                 # number of vCPUs (harts)
param_balloon:  .word 0                 # balloon driver on (1) or off (0)
    .globl progress
progress:   .zero 4 * MAX_HARTS         # operations done, per hart
    .globl ticks
ticks:      .zero 4 * MAX_HARTS         # timer interrupts taken, per hart
descriptor: .zero 16                    # paravirtual request descriptor
palloc_state: .zero 16 * MAX_HARTS

    .bss
trapframes: .zero FRAME_SIZE * MAX_HARTS
stacks:     .zero STACK_SIZE * MAX_HARTS
io_buffer:  .zero 512
palloc_busy: .zero 4 * MAX_HARTS        # 1 while a hart is inside palloc
balloon_count: .zero 4                  # pages the balloon driver holds
oom_ticket: .zero 4 * MAX_HARTS         # deflate-on-OOM requests of harts 1..n-1 (see balloon_take_one)
oom_served: .zero 4 * MAX_HARTS
oom_page:   .zero 4 * MAX_HARTS
balloon_pages: .zero 4 * BALLOON_MAX    # their page numbers
    .balign 4096
heap_start:
