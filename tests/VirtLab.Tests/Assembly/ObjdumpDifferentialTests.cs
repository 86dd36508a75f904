using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Tests.Assembly;

/// <summary>
/// Disassembles the same words with VirtLab's <see cref="Disassembler"/> and with GNU objdump, and
/// compares the text line by line.
/// </summary>
/// <remarks>
/// <para>
/// The words are every instruction of <see cref="InstructionSet"/> with a seeded random sample of
/// operand fields, some hand-picked edge cases (every fence set, every named CSR, extreme offsets),
/// and random 32-bit words, most of which are not instructions at all. GNU as turns them into an
/// object file with <c>.insn</c> (so objdump treats them as code, not data) and
/// <c>-march=rv32im_zicsr_zifencei</c> (so objdump knows exactly our extensions).
/// </para>
/// <para>
/// <see cref="DisassemblyStyle.Canonical"/> is compared with <c>objdump -M no-aliases</c> and
/// <see cref="DisassemblyStyle.Pseudo"/> with plain <c>objdump</c>. Before comparing, both sides are
/// normalized (see <see cref="Normalize"/>): whitespace, numbers written in hex or decimal, the
/// <c>&lt;symbol+offset&gt;</c> and <c># comment</c> objdump adds after addresses, and objdump's
/// bare-hex branch targets. Every remaining difference must be listed in <see cref="Deliberate"/>
/// with its reason, and every listed difference must still occur, so the list cannot go stale.
/// Requires binutils-riscv64-unknown-elf; skipped without it unless CI=true.
/// </para>
/// </remarks>
public class ObjdumpDifferentialTests
{
    private const string GnuAs = "riscv64-unknown-elf-as";
    private const string GnuObjdump = "riscv64-unknown-elf-objdump";
    private const int Seed = 20261123;
    private const int SamplesPerInstruction = 60;
    private const int RandomWords = 3000;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A difference between the two disassemblers that we keep on purpose.</summary>
    /// <param name="Style">The disassembly style it concerns.</param>
    /// <param name="Reason">Why VirtLab prints something else; shown if the entry goes stale.</param>
    /// <param name="Explain">
    /// Given VirtLab's and GNU's normalized text, returns GNU's text with this one difference replaced by
    /// what VirtLab prints, or GNU's text unchanged when the difference is not there. Several can apply
    /// to one line (csrrwi with an unnamed CSR has two).
    /// </param>
    private sealed record DeliberateDifference(DisassemblyStyle? Style, string Reason, Func<Line, Line, Line> Explain);

    /// <summary>A normalized line split into mnemonic and operands.</summary>
    private sealed record Line(string Mnemonic, IReadOnlyList<string> Operands)
    {
        public static Line Parse(string normalized)
        {
            int space = normalized.IndexOf(' ');
            return space < 0 ? new(normalized, []) : new(normalized[..space], normalized[(space + 1)..].Split(','));
        }

        public Line WithOperand(int index, string operand) =>
            this with { Operands = [.. Operands.Select((o, i) => i == index ? operand : o)] };

        public override string ToString() => Operands.Count == 0 ? Mnemonic : Mnemonic + " " + string.Join(",", Operands);
    }

    private static readonly DeliberateDifference[] Deliberate =
    [
        new(DisassemblyStyle.Pseudo,
            "GNU prints the immediate forms of ALU and CSR instructions under their register-form names (add a0,a0,1 " +
            "for addi, sra for srai, csrrw t6,0xfff,31 for csrrwi) because those aliases come first in its opcode " +
            "table. We print the real mnemonic, the one students find in the spec; both assemble to the same word.",
            (ours, gnu) => ours.Mnemonic is "addi" or "slti" or "sltiu" or "xori" or "ori" or "andi" or "slli" or "srli" or "srai"
                    or "csrrwi" or "csrrsi" or "csrrci" && gnu.Mnemonic == ours.Mnemonic[..^1]
                ? gnu with { Mnemonic = ours.Mnemonic } : gnu),
        new(DisassemblyStyle.Pseudo,
            "GNU prints csrrwi/csrrsi/csrrci with rd=zero as csrw/csrs/csrc with an immediate operand. We print " +
            "csrwi/csrsi/csrci, the names the spec's pseudo-instruction table gives them.",
            (ours, gnu) => ours.Mnemonic is "csrwi" or "csrsi" or "csrci" && gnu.Mnemonic == ours.Mnemonic[..^1]
                ? gnu with { Mnemonic = ours.Mnemonic } : gnu),
        new(null,
            "GNU prints an empty fence set as 'unknown', which no assembler reads back (GNU as rejects it too). We " +
            "print 0, which VirtLab's assembler accepts, so the disassembly still round-trips.",
            (ours, gnu) =>
            {
                if (gnu.Mnemonic != "fence" || ours.Mnemonic != "fence" || gnu.Operands.Count != ours.Operands.Count) return gnu;
                for (int i = 0; i < gnu.Operands.Count; i++)
                    if (gnu.Operands[i] == "unknown" && ours.Operands[i] == "0") gnu = gnu.WithOperand(i, "0");
                return gnu;
            }),
        new(null,
            "GNU names the CSRs of extensions VirtLab's machine does not have (hypervisor hstatus/vsatp..., " +
            "Smstateen, AIA, Zkr's seed, Sdtrig's tinfo...). We print those by number, which both assemblers accept; " +
            "naming them would suggest the machine implements them.",
            (ours, gnu) =>
            {
                if (ours.Mnemonic != gnu.Mnemonic || ours.Operands.Count != gnu.Operands.Count) return gnu;
                for (int i = 0; i < gnu.Operands.Count; i++)
                {
                    string theirs = gnu.Operands[i];
                    if (TryParseNumber(ours.Operands[i], out _) && theirs.Length > 0 && char.IsAsciiLetterLower(theirs[0])
                        && !CsrNames.TryGetNumber(theirs, out _) && !RegisterNames.TryParse(theirs, out _))
                        gnu = gnu.WithOperand(i, ours.Operands[i]);
                }
                return gnu;
            }),
    ];

    [SkippableFact]
    public void CanonicalStyleMatchesObjdumpWithoutAliases() => CompareWithObjdump(DisassemblyStyle.Canonical);

    [SkippableFact]
    public void PseudoStyleMatchesObjdump() => CompareWithObjdump(DisassemblyStyle.Pseudo);

    private static void CompareWithObjdump(DisassemblyStyle style)
    {
        string assembler = ExternalTools.Require(GnuAs);
        string objdump = ExternalTools.Require(GnuObjdump);

        uint[] words = TestWords();
        var gnuText = DisassembleWithObjdump(assembler, objdump, words, style);
        Assert.Equal(words.Length, gnuText.Count);

        var unexplained = new StringBuilder();
        var used = new HashSet<DeliberateDifference>();
        int unexplainedCount = 0;
        for (int i = 0; i < words.Length; i++)
        {
            uint pc = (uint)(4 * i);
            string ours = Normalize(Disassembler.Disassemble(words[i], pc, style), fromObjdump: false);
            string gnu = Normalize(gnuText[i], fromObjdump: true);
            if (ours == gnu) continue;

            Line ourLine = Line.Parse(ours), explained = Line.Parse(gnu);
            var excuses = new List<DeliberateDifference>();
            foreach (var difference in Deliberate.Where(d => d.Style is null || d.Style == style))
            {
                var after = difference.Explain(ourLine, explained);
                if (after.ToString() == explained.ToString()) continue;
                excuses.Add(difference);
                explained = after;
            }
            if (explained.ToString() == ours)
            {
                used.UnionWith(excuses);
                continue;
            }
            if (unexplainedCount++ < 60)
                unexplained.AppendLine($"0x{pc:x5}: 0x{words[i]:x8}  VirtLab '{ours}'  objdump '{gnu}'   (raw objdump: '{gnuText[i]}')");
        }

        var stale = Deliberate.Where(d => (d.Style is null || d.Style == style) && !used.Contains(d)).Select(d => d.Reason).ToList();
        Assert.True(unexplainedCount == 0,
            $"{unexplainedCount} of {words.Length} words disassemble differently ({style} style); first ones:\n{unexplained}");
        Assert.True(stale.Count == 0, "deliberate differences that no longer occur (remove them):\n" + string.Join("\n", stale));
    }

    // ------------------------------------------------------------------ the words

    /// <summary>
    /// Every instruction with random operands, edge cases, then random words. Deterministic for <see cref="Seed"/>.
    /// </summary>
    internal static uint[] TestWords()
    {
        var random = new Random(Seed);
        var words = new List<uint>();

        foreach (var definition in InstructionSet.All)
        {
            // Operand fields all zero and all ones, then random ones. Only words the table decodes as
            // this very instruction are kept (a fence with rd != 0 is not a fence, for example).
            words.Add(definition.Match);
            AddIfItIs(definition, definition.Match | ~definition.Mask);
            for (int i = 0; i < SamplesPerInstruction; i++)
            {
                for (int attempt = 0; attempt < 100; attempt++)
                {
                    uint candidate = (RandomWord(random) & ~definition.Mask) | definition.Match;
                    if (AddIfItIs(definition, candidate)) break;
                }
            }
        }

        // Every pair of fence sets, and every named CSR read by each CSR instruction.
        for (uint predecessor = 0; predecessor < 16; predecessor++)
            for (uint successor = 0; successor < 16; successor++)
                words.Add(InstructionEncoding.EncodeFence(InstructionSet.Get("fence"), predecessor, successor));
        foreach (var (_, number) in CsrNames.All.OrderBy(c => c.Value))
        {
            foreach (string csrInstruction in new[] { "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci" })
                words.Add(InstructionSet.Get(csrInstruction).Match | (uint)number << 20 | (uint)random.Next(32) << 15 | (uint)random.Next(32) << 7);
        }

        // Random words: any 32-bit-long encoding (low bits 11, bits 4:2 not 111), most of them illegal.
        for (int i = 0; i < RandomWords; i++)
        {
            uint word;
            do word = RandomWord(random) | 0b11;
            while ((word & 0b11100) == 0b11100);
            words.Add(word);
        }
        return [.. words];

        bool AddIfItIs(InstructionDefinition definition, uint word)
        {
            if (!InstructionSet.TryDecode(word, out var found) || found != definition) return false;
            words.Add(word);
            return true;
        }
    }

    private static uint RandomWord(Random random) => (uint)random.NextInt64(0, 1L << 32);

    // ------------------------------------------------------------------ running objdump

    /// <summary>Assembles the words with <c>.insn</c> and returns objdump's text for each, in order.</summary>
    private static List<string> DisassembleWithObjdump(string assembler, string objdump, uint[] words, DisassemblyStyle style)
    {
        string work = Path.Combine(Path.GetTempPath(), "virtlab-objdump-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string source = Path.Combine(work, "words.s"), obj = Path.Combine(work, "words.o");
            var text = new StringBuilder(".text\n");
            foreach (uint word in words) text.Append(CultureInfo.InvariantCulture, $".insn 0x{word:x8}\n");
            File.WriteAllText(source, text.ToString());
            ExternalTools.RunChecked(assembler, ["-march=rv32im_zicsr_zifencei", "-mabi=ilp32", "-o", obj, source], ToolTimeout);

            // -z: do not abbreviate runs of zero words as "...". priv-spec is pinned so CSR names do not
            // depend on the binutils version's default.
            var options = style == DisassemblyStyle.Canonical ? "no-aliases,priv-spec=1.12" : "priv-spec=1.12";
            var result = ExternalTools.RunChecked(objdump, ["-d", "-z", "-M", options, obj], ToolTimeout);
            return ParseObjdump(result.StandardOutput);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    // "   8:\t00b50463          \tbeq\ta0,a1,10 <.text+0x10>"
    private static readonly Regex ObjdumpLine = new(@"^\s*([0-9a-f]+):\t([0-9a-f]{8})\s+\t(.*)$", RegexOptions.CultureInvariant);

    private static List<string> ParseObjdump(string output)
    {
        var lines = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            var match = ObjdumpLine.Match(line.TrimEnd('\r'));
            if (!match.Success) continue;
            uint address = uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.True(address == 4u * (uint)lines.Count, $"objdump line out of step at 0x{address:x}: {line}");
            lines.Add(match.Groups[3].Value);
        }
        return lines;
    }

    // ------------------------------------------------------------------ normalization

    /// <summary>
    /// One spelling for both disassemblers: "mnemonic op1,op2,..." with single spaces, every plain number
    /// (hex or decimal) written in decimal, branch and jump targets in 0x-hex, objdump's
    /// <c>&lt;symbol&gt;</c> and <c># comment</c> removed, and both ".word" and ".4byte" written ".word".
    /// </summary>
    internal static string Normalize(string text, bool fromObjdump)
    {
        text = Regex.Replace(text, @"\s*<[^>]*>", "");   // "10 <.text+0x10>" -> "10"
        int comment = text.IndexOf('#');
        if (comment >= 0) text = text[..comment];
        text = text.Replace('\t', ' ').Trim();

        int space = text.IndexOf(' ');
        string mnemonic = space < 0 ? text : text[..space];
        if (mnemonic == ".4byte") mnemonic = ".word";
        if (space < 0) return mnemonic;

        var operands = text[(space + 1)..].Split(',').Select(o => o.Trim()).ToArray();
        for (int i = 0; i < operands.Length; i++)
        {
            bool target = i == operands.Length - 1 && IsBranchOrJump(mnemonic);
            if (target && fromObjdump)
                operands[i] = "0x" + uint.Parse(operands[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
            else if (TryParseNumber(operands[i], out long value))
                operands[i] = target || mnemonic == ".word"
                    ? "0x" + ((uint)value).ToString("x", CultureInfo.InvariantCulture)
                    : value.ToString(CultureInfo.InvariantCulture);
        }
        return mnemonic + " " + string.Join(",", operands);
    }

    // In RV32IM every mnemonic that starts with b is a branch (beq, bnez, bgtu...).
    private static bool IsBranchOrJump(string mnemonic) => mnemonic is "j" or "jal" || mnemonic.StartsWith('b');

    private static bool TryParseNumber(string operand, out long value)
    {
        value = 0;
        bool negative = operand.StartsWith('-');
        string digits = negative ? operand[1..] : operand;
        bool parsed = digits.StartsWith("0x", StringComparison.Ordinal)
            ? long.TryParse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!parsed) return false;
        if (negative) value = -value;
        return true;
    }

    // ------------------------------------------------------------------ the normalization itself

    [Theory]
    [InlineData("beq\ta0,a1,10 <.text+0x10>", true, "beq a0,a1,0x10")]
    [InlineData("beq a0, a1, 0x10", false, "beq a0,a1,0x10")]
    [InlineData("srai\ta0,a0,0x1", true, "srai a0,a0,1")]
    [InlineData("jalr\tra,0(a0) # fff0001c <.text+0xfff0001c>", true, "jalr ra,0(a0)")]
    [InlineData(".4byte\t0x52007", true, ".word 0x52007")]
    [InlineData(".word 0x00052007", false, ".word 0x52007")]
    [InlineData("lui\ta0,0x12345", true, "lui a0,74565")]
    public void NormalizationTreatsBothSpellingsAlike(string text, bool fromObjdump, string expected) =>
        Assert.Equal(expected, Normalize(text, fromObjdump));
}
