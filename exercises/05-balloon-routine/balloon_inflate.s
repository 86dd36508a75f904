# Exercise 5: the balloon driver's inflate routine. Read README.md first; only this file is graded.
#
# balloon_inflate(a0 = pages wanted, 1..256) -> a0 = pages given.
# Take up to a0 pages from hart 0's free list (palloc_nolock), append their page numbers
# (address / 4096) to balloon_pages after the balloon_count already there, and report them to the
# host as one batch: BATCH_ADDR = the address of the first new entry, BATCH_COUNT = how many, then
# COMMAND = BALLOON_INFLATE (the doorbell: the host takes the frames away now). Then add them to
# balloon_count and write the new count to the device's ACTUAL. Give fewer when the free list runs
# dry (palloc_nolock returns 0), and report nothing when you give none.
#
# The rules (the kernel calls you from hart 0's timer interrupt, interrupts off):
#   - you may change t0..t6 and a0..a5; leave s0..s11, sp, gp and tp as you found them; end with ret;
#   - palloc_nolock (a0 = 0 -> a0 = a page's address, or 0) uses t0..t2 and a0, and changes ra:
#     keep your return address in a register it leaves alone (t3..t6, a1..a5);
#   - names you can use: balloon_count (a word), balloon_pages (an array of words), BALLOON_BASE and
#     the registers' offsets BALLOON_ACTUAL, BALLOON_BATCH_ADDR, BALLOON_BATCH_COUNT,
#     BALLOON_COMMAND, and BALLOON_INFLATE;
#   - labels of your own must not clash with the kernel's: numeric labels (1:, 1b, 2f) never do.

balloon_inflate:
    # BEGIN SOLUTION
    mv      t6, ra                      # palloc_nolock changes ra
    mv      t5, a0                      # t5 = pages still wanted
    la      t4, balloon_count
    lw      a1, 0(t4)                   # a1 = pages held before this batch
    slli    a2, a1, 2
    la      t3, balloon_pages
    add     a2, a2, t3                  # a2 = &balloon_pages[count]: where the batch starts
    mv      a3, a2                      # a3 = the next slot to fill
1:  beqz    t5, 2f
    li      a0, 0
    call    palloc_nolock               # a page of hart 0, or 0
    beqz    a0, 2f                      # the free list ran dry: give what we have
    srli    a0, a0, 12                  # address -> page number
    sw      a0, 0(a3)
    addi    a3, a3, 4
    addi    t5, t5, -1
    j       1b
2:  sub     a4, a3, a2
    srli    a4, a4, 2                   # a4 = pages taken
    beqz    a4, 3f                      # none: nothing to report
    li      t3, BALLOON_BASE
    sw      a2, BALLOON_BATCH_ADDR(t3)
    sw      a4, BALLOON_BATCH_COUNT(t3)
    li      t0, BALLOON_INFLATE
    sw      t0, BALLOON_COMMAND(t3)     # the doorbell
    add     a1, a1, a4
    sw      a1, 0(t4)                   # balloon_count += taken
    sw      a1, BALLOON_ACTUAL(t3)
3:  mv      a0, a4
    mv      ra, t6
    ret
    # END SOLUTION
    li      a0, 0                       # gives no page yet: your code goes above
    ret
