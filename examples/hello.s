# hello.s: print "Hello, world!" on the UART, then end the program through HTIF tohost.
#
#   dotnet run --project src/VirtLab.Cli -- run examples/hello.s
#
# The machine starts in M-mode at 0x80000000, the start of RAM, where .text is placed.

        .equ UART_THR, 0x10000000       # 16550 UART: writing a byte to offset 0 transmits it

        .text
        .globl _start
_start:
        la      a0, message             # a0 = address of the next character
        li      t0, UART_THR            # t0 = the UART's transmit register
print:
        lbu     t1, 0(a0)               # t1 = next character
        beqz    t1, done                # the string ends with a 0 byte
        sb      t1, 0(t0)               # send it
        addi    a0, a0, 1
        j       print

done:
        # Tell the host "exit with success": tohost = 1 (exit code 0 shifted left, plus 1).
        # tohost is 64 bits; on RV32 store the low word first, then the high word, which is what
        # the host (VirtLab, Spike, QEMU) waits for.
        la      t0, tohost
        li      t1, 1
        sw      t1, 0(t0)
        sw      zero, 4(t0)
hang:   j       hang                    # the host stops the machine; never reached

        .data
message:
        .asciz  "Hello, world!\n"

        # The 8-byte word the host watches. Spike and QEMU find it by this symbol in the ELF.
        .align  3
        .globl  tohost
tohost: .dword  0
        .size   tohost, 8
        # QEMU's spike machine ignores tohost unless fromhost (the host's reply word) exists too.
        .globl  fromhost
fromhost: .dword 0
        .size   fromhost, 8
