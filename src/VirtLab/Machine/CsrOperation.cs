namespace VirtLab.Machine;

/// <summary>
/// What a Zicsr instruction does to its CSR, encoded in funct3 bits 1:0 (bit 2 says whether the
/// source is a register or a 5-bit immediate). Each reads the old value into rd as well.
/// </summary>
public enum CsrOperation
{
    /// <summary><c>csrrw</c>/<c>csrrwi</c>: the CSR becomes the source.</summary>
    ReadWrite = 1,
    /// <summary><c>csrrs</c>/<c>csrrsi</c>: the source's one bits are set in the CSR.</summary>
    ReadSet = 2,
    /// <summary><c>csrrc</c>/<c>csrrci</c>: the source's one bits are cleared in the CSR.</summary>
    ReadClear = 3,
}
