using VirtLab.Programs;

namespace VirtLab.Assembly;

/// <summary>The state of one assembly: sections, symbols and errors, shared by both passes.</summary>
internal sealed partial class AssemblyRun
{
    private const uint MaxSectionSize = 64 * 1024 * 1024;
    private const int MaxSymbolDepth = 100;

    private readonly string _source;
    private readonly string _fileName;
    private readonly AssemblerOptions _options;
    private readonly string[] _lines;
    private readonly List<AssemblyDiagnostic> _diagnostics = [];
    private readonly Dictionary<string, SymbolDefinition> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Section> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _localLabelCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _symbolsBeingEvaluated = new(StringComparer.Ordinal);
    private Section _current;
    private bool _layoutDone;
    private uint _currentAddress;

    public AssemblyRun(string source, string fileName, AssemblerOptions options)
    {
        _source = source;
        _fileName = fileName;
        _options = options;
        _lines = source.Split('\n');
        _current = SectionNamed(".text", null, null);
        SectionNamed(".data", null, null);
        SectionNamed(".bss", null, null);
    }

    public AssemblyResult Run()
    {
        var tokens = new Lexer(_source, (line, column, message) => Report(line, column, message)).Tokenize();
        foreach (var statement in SplitStatements(tokens))
        {
            if (!AssembleStatement(statement)) break; // .end
        }

        var placed = PlaceSections();
        var images = placed ? EncodeSections() : [];

        var diagnostics = _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        if (diagnostics.Count > 0 || !placed) return new AssemblyResult(null, diagnostics, []);
        return new AssemblyResult(BuildImage(images), diagnostics, BuildListing());
    }

    // ---- Statements -------------------------------------------------------------------------

    /// <summary>Groups tokens into statements: <c>label: label2: mnemonic op, op, ...</c> or <c>name = expr</c>.</summary>
    private IEnumerable<Statement> SplitStatements(List<Token> tokens)
    {
        int i = 0;
        while (i < tokens.Count)
        {
            int end = i;
            while (tokens[end].Kind != TokenKind.EndOfStatement) end++;
            var part = tokens.GetRange(i, end - i);
            i = end + 1;
            if (part.Count > 0) yield return ParseStatement(part);
        }
    }

    private Statement ParseStatement(List<Token> part)
    {
        var labels = new List<Token>();
        int p = 0;
        while (p + 1 < part.Count && part[p + 1].Is(":")
               && (part[p].Kind == TokenKind.Identifier || (part[p].Kind == TokenKind.Number && part[p].Text.All(char.IsAsciiDigit))))
        {
            labels.Add(part[p]);
            p += 2;
        }

        if (p + 1 < part.Count && part[p].Kind == TokenKind.Identifier && part[p + 1].Is("="))
            return new Statement(part[p].Line, labels, null, [], part[p], part.GetRange(p + 2, part.Count - p - 2)) { Start = part[0] };

        Token? mnemonic = null;
        var operands = new List<IReadOnlyList<Token>>();
        if (p < part.Count)
        {
            mnemonic = part[p++];
            if (mnemonic.Kind != TokenKind.Identifier)
            {
                Report(mnemonic, $"expected an instruction or directive, got '{mnemonic.Text}'");
                mnemonic = null;
            }
            else if (p < part.Count)
            {
                var operand = new List<Token>();
                int depth = 0;
                for (; p < part.Count; p++)
                {
                    var t = part[p];
                    if (t.Is("(")) depth++;
                    if (t.Is(")")) depth--;
                    if (t.Is(",") && depth <= 0)
                    {
                        operands.Add(operand);
                        operand = [];
                    }
                    else
                    {
                        operand.Add(t);
                    }
                }
                operands.Add(operand);
            }
        }
        return new Statement(part[0].Line, labels, mnemonic, operands, null, []) { Start = part[0] };
    }

    /// <summary>Pass 1 for one statement. Returns false at <c>.end</c>.</summary>
    private bool AssembleStatement(Statement statement)
    {
        foreach (var label in statement.Labels) DefineLabel(label);

        if (statement.AssignedSymbol is { } assigned)
        {
            var value = ParseExpression(statement.AssignedValue, assigned);
            if (value is not null) DefineSymbol(assigned, assigned.Text, new EquatedSymbol(assigned, value));
            return true;
        }
        if (statement.Mnemonic is not { } mnemonic) return true;

        string name = mnemonic.Text.ToLowerInvariant();
        if (name.StartsWith('.')) return AssembleDirective(statement, mnemonic, name);
        AssembleInstruction(statement, mnemonic, name);
        return true;
    }

    // ---- Symbols ------------------------------------------------------------------------------

    private void DefineLabel(Token label)
    {
        if (label.Kind == TokenKind.Number)
        {
            // Numeric local labels may be defined many times; each definition gets a unique hidden name.
            int count = _localLabelCounts.GetValueOrDefault(label.Text) + 1;
            _localLabelCounts[label.Text] = count;
            DefineSymbol(label, LocalLabelName(label.Text, count), new LabelSymbol(label, _current, _current.Size));
            return;
        }
        DefineSymbol(label, label.Text, new LabelSymbol(label, _current, _current.Size));
    }

    private void DefineSymbol(Token at, string name, SymbolDefinition definition)
    {
        if (name == ".")
        {
            Report(at, "cannot assign to '.'");
            return;
        }
        if (RegisterNames.TryParse(name, out _) && definition is EquatedSymbol)
        {
            Report(at, $"'{name}' is a register name and cannot be a symbol");
            return;
        }
        if (_symbols.TryGetValue(name, out var existing))
        {
            Report(at, $"symbol '{name}' is already defined (at line {existing.At.Line})");
            return;
        }
        _symbols[name] = definition;
    }

    private static string LocalLabelName(string number, int instance) => $".L{number}\u0002{instance}";

    private static bool IsHiddenSymbol(string name) => name.StartsWith(".L", StringComparison.Ordinal);

    /// <summary>Turns a symbol token into a reference; <c>1f</c>/<c>1b</c> become the hidden name of the next/previous "1:".</summary>
    private SymbolExpression ResolveSymbolReference(Token token)
    {
        if (token.Kind != TokenKind.LocalLabelReference) return new SymbolExpression(token, token.Text, token.Text);
        string number = token.Text[..^1];
        int defined = _localLabelCounts.GetValueOrDefault(number);
        int instance = token.Text[^1] == 'f' ? defined + 1 : defined;
        return new SymbolExpression(token, instance == 0 ? token.Text : LocalLabelName(number, instance), token.Text);
    }

    /// <summary>Value of a symbol. Before layout labels are "not known yet"; after layout an unknown symbol is an error.</summary>
    private Evaluation LookUp(SymbolExpression symbol, int depth)
    {
        if (symbol.Name == ".")
            return _layoutDone ? Evaluation.Of(_currentAddress) : Evaluation.NotYetKnown;
        if (!_symbols.TryGetValue(symbol.Name, out var definition))
            return _layoutDone ? Evaluation.Fail(symbol.At, $"undefined symbol '{symbol.DisplayName}'") : Evaluation.NotYetKnown;
        switch (definition)
        {
            case LabelSymbol label:
                return _layoutDone ? Evaluation.Of(label.Section.Base + label.Offset) : Evaluation.NotYetKnown;
            case EquatedSymbol equated:
                if (_symbolsBeingEvaluated.Contains(symbol.Name))
                    return Evaluation.Fail(symbol.At, $"symbol '{symbol.DisplayName}' is defined in terms of itself");
                if (_symbolsBeingEvaluated.Count >= MaxSymbolDepth)
                    return Evaluation.Fail(symbol.At, "symbol definitions are nested too deeply");
                _symbolsBeingEvaluated.Add(symbol.Name);
                try
                {
                    return ExpressionEvaluator.Evaluate(equated.Value, LookUp, depth);
                }
                finally
                {
                    _symbolsBeingEvaluated.Remove(symbol.Name);
                }
            default:
                return Evaluation.Fail(symbol.At, $"undefined symbol '{symbol.DisplayName}'");
        }
    }

    private Evaluation Evaluate(Expression expression) => ExpressionEvaluator.Evaluate(expression, LookUp);

    /// <summary>Evaluates in pass 1, where only constants are known; reports errors but not "not known yet".</summary>
    private Evaluation EvaluateNow(Expression expression)
    {
        var result = Evaluate(expression);
        if (result.Error is not null) Report(result.ErrorAt ?? expression.At, result.Error);
        return result;
    }

    /// <summary>Evaluates an expression that must be a constant now (sizes, counts, alignments).</summary>
    private long? EvaluateConstant(Expression expression, string what)
    {
        var result = EvaluateNow(expression);
        if (result.Error is not null) return null;
        if (!result.Known)
        {
            Report(expression.At, $"{what} must be a constant defined before this line");
            return null;
        }
        return result.Value;
    }

    // ---- Sections -----------------------------------------------------------------------------

    private Section SectionNamed(string name, string? flags, Token? at)
    {
        if (_sections.TryGetValue(name, out var existing)) return existing;
        bool executable, writable, noBits;
        if (flags is not null)
        {
            executable = flags.Contains('x');
            writable = flags.Contains('w');
            noBits = name == ".bss" || name.StartsWith(".bss.", StringComparison.Ordinal) || name.StartsWith(".sbss", StringComparison.Ordinal);
            if (flags.Any(f => !"awxMSGTR?o".Contains(f)) && at is not null)
                Report(at, $"unknown section flags \"{flags}\"");
        }
        else
        {
            executable = name == ".text" || name.StartsWith(".text.", StringComparison.Ordinal) || name.StartsWith(".init", StringComparison.Ordinal);
            noBits = name == ".bss" || name.StartsWith(".bss.", StringComparison.Ordinal) || name.StartsWith(".sbss", StringComparison.Ordinal);
            writable = !executable && !name.StartsWith(".rodata", StringComparison.Ordinal) && !name.StartsWith(".srodata", StringComparison.Ordinal);
        }
        var section = new Section(name, executable, writable, noBits, _sections.Count);
        _sections[name] = section;
        return section;
    }

    /// <summary>Places sections one after another: .text, .data, other sections with contents, then zero-filled ones.</summary>
    private bool PlaceSections()
    {
        var order = _sections.Values
            .OrderBy(s => s.NoBits ? 3 : s.Name == ".text" ? 0 : s.Name == ".data" ? 1 : 2)
            .ThenBy(s => s.Order)
            .ToList();
        ulong next = _options.TextBase;
        uint sectionAlignment = _options.SectionAlignment is > 0 and var a && (a & (a - 1)) == 0 ? a : 16;
        bool first = true;
        foreach (var section in order)
        {
            if (!first)
            {
                ulong alignment = Math.Max(sectionAlignment, section.Alignment);
                next = (next + alignment - 1) & ~(alignment - 1);
            }
            first = false;
            if (next + section.Size > 1UL << 32)
            {
                Report(1, 1, $"section {section.Name} does not fit below 4 GiB at 0x{next:x}");
                return false;
            }
            section.Base = (uint)next;
            next += section.Size;
        }
        _layoutDone = true;
        return true;
    }

    private ProgramImage BuildImage(Dictionary<Section, byte[]> contents)
    {
        var segments = _sections.Values
            .Where(s => s.Size > 0)
            .OrderBy(s => s.Base)
            .Select(s => new ImageSegment(s.Name, s.Base, s.NoBits ? [] : contents[s], s.Executable, s.Writable) { MemorySize = s.Size })
            .ToList();
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var (name, definition) in _symbols)
        {
            if (definition is LabelSymbol label && !IsHiddenSymbol(name))
                symbols[name] = label.Section.Base + label.Offset;
        }
        uint entry = symbols.TryGetValue("_start", out uint start) ? start : _sections[".text"].Base;
        return new ProgramImage(segments, entry, symbols);
    }

    private List<ListingEntry> BuildListing()
    {
        var listing = new List<ListingEntry>();
        foreach (var section in _sections.Values.OrderBy(s => s.Base))
        {
            foreach (var fragment in section.Fragments.OfType<InstructionFragment>())
            {
                uint address = section.Base + fragment.Offset;
                listing.Add(new ListingEntry(section.Name, address, _encodedWords[(section, fragment.Offset)], fragment.Source.Line,
                    SourceLine(fragment.Source.Line)));
            }
        }
        return listing;
    }

    private string SourceLine(int line) => line >= 1 && line <= _lines.Length ? _lines[line - 1].Trim() : "";

    // ---- Diagnostics --------------------------------------------------------------------------

    private void Report(Token at, string message) => Report(at.Line, at.Column, message);

    private void Report(int line, int column, string message) =>
        _diagnostics.Add(new AssemblyDiagnostic(_fileName, line, column, message));
}
