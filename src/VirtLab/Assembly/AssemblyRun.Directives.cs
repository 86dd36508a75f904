namespace VirtLab.Assembly;

/// <summary>Pass 1 for directives: sections, data, alignment, symbols, and the ones accepted but ignored.</summary>
internal sealed partial class AssemblyRun
{
    /// <summary>Largest alignment accepted: 2^16 bytes.</summary>
    private const int MaxAlignmentPower = 16;

    /// <summary>Directives that only matter for linking or debugging; accepted and ignored.</summary>
    private static readonly HashSet<string> IgnoredDirectives = new(StringComparer.Ordinal)
    {
        ".globl", ".global", ".local", ".weak", ".hidden", ".protected", ".size", ".type", ".file", ".ident",
        ".attribute", ".loc", ".func", ".endfunc", ".variant_cc",
    };

    private bool AssembleDirective(Statement statement, Token directive, string name)
    {
        var ops = statement.Operands;
        switch (name)
        {
            case ".text": _current = SectionNamed(".text", null, directive); break;
            case ".data": _current = SectionNamed(".data", null, directive); break;
            case ".bss": _current = SectionNamed(".bss", null, directive); break;
            case ".rodata": _current = SectionNamed(".rodata", null, directive); break;
            case ".section": SwitchSection(directive, ops); break;

            case ".byte": Data(statement, directive, 1); break;
            case ".half" or ".short" or ".2byte": Data(statement, directive, 2); break;
            case ".word" or ".long" or ".int" or ".4byte": Data(statement, directive, 4); break;
            case ".dword" or ".quad" or ".8byte": Data(statement, directive, 8); break;
            case ".ascii": Strings(statement, directive, terminate: false); break;
            case ".asciz" or ".string": Strings(statement, directive, terminate: true); break;

            case ".space" or ".skip" or ".zero": Space(statement, directive); break;
            case ".fill": Fill(statement, directive); break;
            case ".align" or ".p2align": Align(statement, directive, powerOfTwo: true); break;
            case ".balign": Align(statement, directive, powerOfTwo: false); break;

            case ".equ" or ".set" or ".equiv":
                if (ops.Count != 2 || ops[0] is not [{ Kind: TokenKind.Identifier } symbol])
                {
                    Report(directive, $"'{directive.Text}' expects a symbol name and a value");
                    break;
                }
                if (ParseExpression(ops[1], directive) is { } value) DefineSymbol(symbol, symbol.Text, new EquatedSymbol(symbol, value));
                break;

            case ".option": Option(directive, ops); break;
            case ".end": return false;

            default:
                if (!IgnoredDirectives.Contains(name) && !name.StartsWith(".cfi_", StringComparison.Ordinal))
                    Report(directive, $"unknown directive '{directive.Text}'");
                break;
        }
        return true;
    }

    /// <summary><c>.section name[, "flags"[, @type]]</c>. Flags: a = allocated, w = writable, x = executable.</summary>
    private void SwitchSection(Token directive, IReadOnlyList<IReadOnlyList<Token>> ops)
    {
        if (ops.Count == 0 || ops[0].Count == 0 || ops[0].Any(t => t.Kind != TokenKind.Identifier && !t.Is("-")))
        {
            Report(directive, "'.section' expects a section name");
            return;
        }
        string sectionName = Text(ops[0]);
        string? flags = null;
        if (ops.Count >= 2)
        {
            if (ops[1] is [{ Kind: TokenKind.String } flagString])
                flags = System.Text.Encoding.ASCII.GetString(flagString.Bytes);
            else
                Report(ops[1].Count > 0 ? ops[1][0] : directive, "expected section flags in quotes, such as \"aw\"");
        }
        var section = SectionNamed(sectionName, flags, directive);
        if (ops.Count >= 3 && ops[2] is [{ Kind: TokenKind.Identifier, Text: "@nobits" or "%nobits" }] && !section.NoBits && section.Size == 0)
        {
            _sections.Remove(sectionName);
            section = new Section(sectionName, section.Executable, section.Writable, noBits: true, section.Order);
            _sections[sectionName] = section;
        }
        _current = section;
    }

    /// <summary><c>.word a, b, ...</c> and friends: little-endian values of the given width.</summary>
    private void Data(Statement statement, Token directive, int width)
    {
        if (RejectInNoBits(directive)) return;
        var values = new List<Expression>();
        foreach (var operand in statement.Operands)
        {
            if (ParseExpression(operand, directive) is { } value) values.Add(value);
        }
        if (values.Count > 0) AddFragment(new DataFragment(_current.Size, width, values, statement), directive);
    }

    private void Strings(Statement statement, Token directive, bool terminate)
    {
        if (RejectInNoBits(directive)) return;
        var bytes = new List<byte>();
        foreach (var operand in statement.Operands)
        {
            if (operand is not [{ Kind: TokenKind.String } text])
            {
                Report(operand.Count > 0 ? operand[0] : directive, $"'{directive.Text}' expects strings in double quotes");
                continue;
            }
            bytes.AddRange(text.Bytes);
            if (terminate) bytes.Add(0);
        }
        AddFragment(new BytesFragment(_current.Size, [.. bytes], statement), directive);
    }

    /// <summary><c>.space size[, fill]</c>: size bytes of fill (default 0).</summary>
    private void Space(Statement statement, Token directive)
    {
        var ops = statement.Operands;
        if (ops.Count is < 1 or > 2)
        {
            Report(directive, $"'{directive.Text}' expects a size and an optional fill byte");
            return;
        }
        long? size = ParseExpression(ops[0], directive) is { } s ? EvaluateConstant(s, "the size") : null;
        long? fill = ops.Count == 2 ? (ParseExpression(ops[1], directive) is { } f ? EvaluateConstant(f, "the fill value") : null) : 0;
        if (size is null || fill is null) return;
        if (size < 0)
        {
            Report(ops[0][0], $"size {size} is negative");
            return;
        }
        if ((byte)fill.Value != 0 && RejectInNoBits(directive)) return;
        AddFill(statement, directive, size.Value, (byte)fill.Value, codePadding: false);
    }

    /// <summary><c>.fill repeat[, size[, value]]</c>: repeat copies of a size-byte value.</summary>
    private void Fill(Statement statement, Token directive)
    {
        var ops = statement.Operands;
        if (ops.Count is < 1 or > 3)
        {
            Report(directive, "'.fill' expects repeat[, size[, value]]");
            return;
        }
        long?[] values = [.. ops.Select((o, i) => ParseExpression(o, directive) is { } x ? EvaluateConstant(x, "a .fill operand") : null)];
        long repeat = values[0] ?? -1, size = ops.Count > 1 ? values[1] ?? -1 : 1, value = ops.Count > 2 ? values[2] ?? 0 : 0;
        if (repeat < 0 || size is < 0 or > 8 || repeat * size > MaxSectionSize)
        {
            if (values.All(v => v is not null)) Report(directive, "'.fill' repeat must be non-negative and size 0..8");
            return;
        }
        var bytes = new byte[repeat * size];
        for (long i = 0; i < repeat; i++)
            for (int b = 0; b < size; b++)
                bytes[i * size + b] = b < 4 ? (byte)(value >> (8 * b)) : (byte)0;
        if (bytes.Any(b => b != 0) && RejectInNoBits(directive)) return;
        AddFragment(new BytesFragment(_current.Size, bytes, statement), directive);
    }

    /// <summary>
    /// <c>.align n</c> / <c>.p2align n</c> pad to a multiple of 2^n bytes (on RISC-V <c>.align</c> counts powers of two);
    /// <c>.balign n</c> pads to a multiple of n. In code the padding is nops, like GNU as.
    /// </summary>
    private void Align(Statement statement, Token directive, bool powerOfTwo)
    {
        var ops = statement.Operands;
        if (ops.Count is < 1 or > 3)
        {
            Report(directive, $"'{directive.Text}' expects an alignment, an optional fill byte and an optional maximum");
            return;
        }
        long? amount = ParseExpression(ops[0], directive) is { } a ? EvaluateConstant(a, "the alignment") : null;
        if (amount is null) return;
        long alignment;
        if (powerOfTwo)
        {
            if (amount is < 0 or > MaxAlignmentPower)
            {
                Report(ops[0][0], $"alignment 2^{amount} is too large (at most 2^{MaxAlignmentPower})");
                return;
            }
            alignment = 1L << (int)amount.Value;
        }
        else
        {
            alignment = amount.Value == 0 ? 1 : amount.Value;
            if (alignment < 0 || (alignment & (alignment - 1)) != 0 || alignment > 1 << MaxAlignmentPower)
            {
                Report(ops[0][0], $"alignment {amount} is not a power of 2 up to {1 << MaxAlignmentPower}");
                return;
            }
        }

        bool explicitFill = ops.Count >= 2 && ops[1].Count > 0;
        long fill = 0;
        if (explicitFill)
        {
            if (ParseExpression(ops[1], directive) is not { } f || EvaluateConstant(f, "the fill value") is not { } fillValue) return;
            fill = fillValue;
        }
        long maximum = long.MaxValue;
        if (ops.Count == 3)
        {
            if (ParseExpression(ops[2], directive) is not { } m || EvaluateConstant(m, "the maximum") is not { } maxValue) return;
            maximum = maxValue;
        }

        long padding = (alignment - _current.Size % alignment) % alignment;
        if (padding > maximum) return;
        _current.Alignment = Math.Max(_current.Alignment, (uint)alignment);
        if (padding > 0)
            AddFill(statement, directive, padding, (byte)fill, codePadding: _current.Executable && !explicitFill);
    }

    /// <summary><c>.option rvc</c> would turn on compressed instructions, which VirtLab's machine does not implement.</summary>
    private void Option(Token directive, IReadOnlyList<IReadOnlyList<Token>> ops)
    {
        if (ops.Count == 0 || ops[0] is not [{ Kind: TokenKind.Identifier } option])
        {
            Report(directive, "'.option' expects an option name");
            return;
        }
        switch (option.Text.ToLowerInvariant())
        {
            case "rvc":
                Report(option, "compressed instructions are not supported ('.option rvc'); VirtLab implements RV32IM only");
                break;
            case "norvc" or "relax" or "norelax" or "push" or "pop" or "pic" or "nopic" or "arch" or "csr-check" or "no-csr-check":
                break;
            default:
                Report(option, $"unknown option '{option.Text}'");
                break;
        }
    }

    private void AddFill(Statement statement, Token directive, long size, byte fill, bool codePadding)
    {
        if (size == 0) return;
        if ((ulong)_current.Size + (ulong)size > MaxSectionSize)
        {
            Report(directive, $"section {_current.Name} would be larger than {MaxSectionSize / (1024 * 1024)} MiB");
            return;
        }
        _current.Add(new FillFragment(_current.Size, (uint)size, fill, codePadding, statement));
    }

    private void AddFragment(Fragment fragment, Token directive)
    {
        if (fragment.Size == 0) return;
        if ((ulong)_current.Size + fragment.Size > MaxSectionSize)
        {
            Report(directive, $"section {_current.Name} would be larger than {MaxSectionSize / (1024 * 1024)} MiB");
            return;
        }
        _current.Add(fragment);
    }

    private bool RejectInNoBits(Token directive)
    {
        if (!_current.NoBits) return false;
        Report(directive, $"'{directive.Text}' cannot put data in the zero-filled section {_current.Name}; use .space");
        return true;
    }
}
