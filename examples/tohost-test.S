# tohost-test.S: a self-checking test in the style of riscv-tests, for Spike, QEMU and VirtLab.
#
#   dotnet run --project src/VirtLab.Cli -- run examples/tohost-test.S
#
# Such tests print nothing. They compute, compare with the expected value and report through the
# HTIF word tohost: 1 means pass, (n << 1) | 1 means "test number n failed". The same file builds
# with the GNU toolchain and runs unchanged on QEMU (the tests in tests/VirtLab.Tests/Cli do that):
#
#   riscv64-unknown-elf-gcc -march=rv32im_zicsr -mabi=ilp32 -nostdlib -nostartfiles \
#       -Wl,-N,-Ttext=0x80000000,--no-warn-rwx-segments -o tohost-test.elf examples/tohost-test.S
#   qemu-system-riscv32 -machine spike -cpu rv32,f=off,d=off -nographic -bios none -kernel tohost-test.elf
#
# (-N keeps ld from loading the ELF headers into a page below RAM. The file uses no C
# preprocessor macros, so VirtLab's assembler reads it as it is.)

        .text
        .globl _start
_start:
        # Like riscv-tests start-up code: put mtvec on a handler that fails the test, so an
        # unexpected trap is reported instead of looping.
        la      t0, trap
        csrw    mtvec, t0

        # test 1: add with wrap-around
        li      gp, 1                   # gp = current test number, as riscv-tests do
        li      a0, 0x7fffffff
        addi    a0, a0, 1
        li      a1, 0x80000000
        bne     a0, a1, fail

        # test 2: signed multiply, high word
        li      gp, 2
        li      a0, -3
        li      a1, 0x40000000
        mulh    a2, a0, a1              # -3 * 2^30 = -0xC0000000: high word -1
        li      a3, -1
        bne     a2, a3, fail

        # test 3: division by zero gives all ones, and remainder the dividend
        li      gp, 3
        li      a0, 1234
        divu    a1, a0, zero
        li      a2, -1
        bne     a1, a2, fail
        remu    a1, a0, zero
        bne     a1, a0, fail

        # test 4: store a word, read back bytes (little-endian)
        li      gp, 4
        la      t0, scratch
        li      a0, 0x11223344
        sw      a0, 0(t0)
        lbu     a1, 0(t0)
        li      a2, 0x44
        bne     a1, a2, fail
        lb      a1, 3(t0)
        li      a2, 0x11
        bne     a1, a2, fail

        # test 5: an illegal instruction traps to mtvec with mcause = 2
        li      gp, 5
        la      t0, after_illegal
        csrw    mtvec, t0
        .word   0                       # all-zero word: illegal instruction
        j       fail                    # not reached if the trap was taken
        .align  2
after_illegal:
        csrr    a0, mcause
        li      a1, 2
        bne     a0, a1, fail

pass:
        li      a0, 1                   # tohost = 1: pass
        j       write_tohost
trap:
fail:
        slli    a0, gp, 1               # tohost = (test number << 1) | 1: fail
        ori     a0, a0, 1
write_tohost:
        la      t0, tohost
        sw      a0, 0(t0)               # low word first...
        sw      zero, 4(t0)             # ...then the high word, which hands the command over
1:      j       1b

        .data
        .align  2
scratch: .word  0

        # riscv-tests keep tohost in its own section; HTIF finds it by the symbol.
        .section .tohost, "aw", @progbits
        .align  6
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
