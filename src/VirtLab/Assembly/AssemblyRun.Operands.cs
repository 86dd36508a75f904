namespace VirtLab.Assembly;

/// <summary>Parsing of operands: registers, CSRs, expressions, relocations and <c>offset(register)</c>.</summary>
internal sealed partial class AssemblyRun
{
    private static string Text(IReadOnlyList<Token> operand) => string.Join("", operand.Select(t => t.Text));

    private static bool IsRegister(IReadOnlyList<Token> operand) =>
        operand is [{ Kind: TokenKind.Identifier } t] && RegisterNames.TryParse(t.Text, out _);

    /// <summary>Parses a register operand, reporting "expected register, got '...'" otherwise (and returning 0).</summary>
    private int Register(IReadOnlyList<Token> operand, Token fallback)
    {
        if (operand is [{ Kind: TokenKind.Identifier } t] && RegisterNames.TryParse(t.Text, out int number)) return number;
        Report(operand.Count > 0 ? operand[0] : fallback, operand.Count > 0 ? $"expected register, got '{Text(operand)}'" : "expected register, got nothing");
        return 0;
    }

    /// <summary>Parses a whole operand as one expression.</summary>
    private Expression? ParseExpression(IReadOnlyList<Token> operand, Token fallback)
    {
        if (operand.Count == 0)
        {
            Report(fallback, "expected an expression, got nothing");
            return null;
        }
        var parser = new ExpressionParser(operand, ResolveSymbolReference);
        var expression = parser.Parse();
        if (expression is null)
        {
            Report(parser.ErrorAt ?? operand[0], parser.Error ?? "invalid expression");
            return null;
        }
        if (!parser.AtEnd)
        {
            Report(parser.Current!, $"unexpected '{parser.Current!.Text}' in expression");
            return null;
        }
        return expression;
    }

    /// <summary>Parses an immediate: a plain expression or a relocation function such as <c>%lo(sym)</c>.</summary>
    private Immediate? ParseImmediate(IReadOnlyList<Token> operand, Token fallback, params ImmediateKind[] allowed)
    {
        if (operand.Count > 0 && operand[0].Kind == TokenKind.Relocation)
        {
            var function = operand[0];
            ImmediateKind? kind = function.Text.ToLowerInvariant() switch
            {
                "%hi" => ImmediateKind.Hi,
                "%lo" => ImmediateKind.Lo,
                "%pcrel_hi" => ImmediateKind.PcrelHi,
                "%pcrel_lo" => ImmediateKind.PcrelLo,
                _ => null,
            };
            if (kind is null)
            {
                Report(function, $"unknown relocation function '{function.Text}'");
                return null;
            }
            if (Array.IndexOf(allowed, kind.Value) < 0)
            {
                Report(function, $"'{function.Text}' cannot be used here");
                return null;
            }
            if (operand.Count < 3 || !operand[1].Is("(") || !operand[^1].Is(")"))
            {
                Report(function, $"expected '{function.Text}(expression)'");
                return null;
            }
            var inner = ParseExpression([.. operand.Skip(2).Take(operand.Count - 3)], function);
            return inner is null ? null : new Immediate(kind.Value, inner, function);
        }
        var value = ParseExpression(operand, fallback);
        return value is null ? null : new Immediate(ImmediateKind.Value, value, operand[0]);
    }

    /// <summary>Parses <c>offset(register)</c>; the offset may be empty (0), an expression or <c>%lo(...)</c>/<c>%pcrel_lo(...)</c>.</summary>
    private (Immediate? Offset, int Base) ParseMemoryOperand(IReadOnlyList<Token> operand, Token fallback)
    {
        if (operand.Count >= 3 && operand[^1].Is(")") && operand[^3].Is("(") && IsRegister([operand[^2]]))
        {
            int baseRegister = Register([operand[^2]], fallback);
            var offsetTokens = operand.Take(operand.Count - 3).ToList();
            var offset = offsetTokens.Count == 0
                ? new Immediate(ImmediateKind.Value, new NumberExpression(operand[^3], 0), operand[^3])
                : ParseImmediate(offsetTokens, fallback, ImmediateKind.Value, ImmediateKind.Lo, ImmediateKind.PcrelLo);
            return (offset, baseRegister);
        }
        if (operand.Count >= 3 && operand[^1].Is(")") && operand[^3].Is("("))
        {
            Register([operand[^2]], fallback); // reports "expected register, got ..."
            return (null, 0);
        }
        Report(operand.Count > 0 ? operand[0] : fallback,
            $"expected a memory operand 'offset(register)', got '{Text(operand)}'");
        return (null, 0);
    }

    /// <summary>Parses a CSR operand: a name such as <c>mstatus</c> or a constant 0..4095.</summary>
    private int ParseCsr(IReadOnlyList<Token> operand, Token fallback)
    {
        if (operand is [{ Kind: TokenKind.Identifier } name] && CsrNames.TryGetNumber(name.Text, out ushort number)) return number;
        if (operand is [{ Kind: TokenKind.Identifier } unknown] && !_symbols.ContainsKey(unknown.Text))
        {
            Report(unknown, $"unknown CSR '{unknown.Text}'");
            return 0;
        }
        var expression = ParseExpression(operand, fallback);
        if (expression is null) return 0;
        long? value = EvaluateConstant(expression, "a CSR number");
        if (value is null) return 0;
        if (value is < 0 or > CsrNames.MaxNumber)
        {
            Report(expression.At, $"CSR number {value} does not fit in 12 bits");
            return 0;
        }
        return (int)value.Value;
    }

    /// <summary>Parses a fence set: letters from <c>iorw</c> (device input, device output, memory read, memory write).</summary>
    private uint ParseFenceSet(IReadOnlyList<Token> operand, Token fallback)
    {
        if (operand is [{ Kind: TokenKind.Number, Value: >= 0 and <= 15 } number]) return (uint)number.Value;
        if (operand is [{ Kind: TokenKind.Identifier } set])
        {
            uint bits = 0;
            bool ok = true;
            foreach (char c in set.Text.ToLowerInvariant())
            {
                uint bit = c switch { 'i' => 8u, 'o' => 4u, 'r' => 2u, 'w' => 1u, _ => 0u };
                if (bit == 0 || (bits & bit) != 0) ok = false;
                bits |= bit;
            }
            if (ok) return bits;
        }
        Report(operand.Count > 0 ? operand[0] : fallback, $"expected a fence set such as 'rw' or 'iorw', got '{Text(operand)}'");
        return 0;
    }
}
