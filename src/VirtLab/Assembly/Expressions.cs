namespace VirtLab.Assembly;

/// <summary>An expression in an operand, kept as a tree so it can be evaluated once every symbol is known.</summary>
internal abstract record Expression(Token At);

internal sealed record NumberExpression(Token At, long Value) : Expression(At);

/// <summary>A symbol reference; <paramref name="DisplayName"/> is what the user wrote (<c>1f</c> for a local label).</summary>
internal sealed record SymbolExpression(Token At, string Name, string DisplayName) : Expression(At);

internal sealed record UnaryExpression(Token At, string Operator, Expression Operand) : Expression(At);

internal sealed record BinaryExpression(Token At, string Operator, Expression Left, Expression Right) : Expression(At);

/// <summary>The outcome of evaluating an expression: a value, "not known yet" (needs a later pass) or an error.</summary>
internal readonly record struct Evaluation(long Value, bool Known, string? Error, Token? ErrorAt)
{
    public static Evaluation Of(long value) => new(value, true, null, null);
    public static readonly Evaluation NotYetKnown = new(0, false, null, null);
    public static Evaluation Fail(Token at, string error) => new(0, false, error, at);
}

/// <summary>
/// Parses expressions with GNU as operator precedence, which differs from C: highest are unary
/// <c>- ~ !</c>, then <c>* / % &lt;&lt; &gt;&gt;</c>, then <c>| &amp; ^</c>, then <c>+ -</c>.
/// </summary>
internal sealed class ExpressionParser(IReadOnlyList<Token> tokens, Func<Token, SymbolExpression> resolveSymbol)
{
    private const int MaxNesting = 64;
    private int _position;
    private int _depth;

    public int Position => _position;
    public bool AtEnd => _position >= tokens.Count;
    public Token? Current => _position < tokens.Count ? tokens[_position] : null;
    public string? Error { get; private set; }
    public Token? ErrorAt { get; private set; }

    public Expression? Parse() => ParseAdditive();

    private Expression? ParseAdditive()
    {
        var left = ParseBitwise();
        while (left is not null && Current is { Kind: TokenKind.Punctuation, Text: "+" or "-" } op)
        {
            _position++;
            var right = ParseBitwise();
            if (right is null) return null;
            left = new BinaryExpression(op, op.Text, left, right);
        }
        return left;
    }

    private Expression? ParseBitwise()
    {
        var left = ParseMultiplicative();
        while (left is not null && Current is { Kind: TokenKind.Punctuation, Text: "|" or "&" or "^" } op)
        {
            _position++;
            var right = ParseMultiplicative();
            if (right is null) return null;
            left = new BinaryExpression(op, op.Text, left, right);
        }
        return left;
    }

    private Expression? ParseMultiplicative()
    {
        var left = ParseUnary();
        while (left is not null && Current is { Kind: TokenKind.Punctuation, Text: "*" or "/" or "%" or "<<" or ">>" } op)
        {
            _position++;
            var right = ParseUnary();
            if (right is null) return null;
            left = new BinaryExpression(op, op.Text, left, right);
        }
        return left;
    }

    private Expression? ParseUnary()
    {
        if (++_depth > MaxNesting) return Fail(Current, "expression is nested too deeply");
        try
        {
            var token = Current;
            if (token is { Kind: TokenKind.Punctuation, Text: "-" or "+" or "~" or "!" })
            {
                _position++;
                var operand = ParseUnary();
                return operand is null ? null : new UnaryExpression(token, token.Text, operand);
            }
            return ParsePrimary();
        }
        finally
        {
            _depth--;
        }
    }

    private Expression? ParsePrimary()
    {
        var token = Current;
        if (token is null) return Fail(tokens.Count > 0 ? tokens[^1] : null, "expected an expression");
        switch (token.Kind)
        {
            case TokenKind.Number:
                _position++;
                return new NumberExpression(token, token.Value);
            case TokenKind.Identifier:
            case TokenKind.LocalLabelReference:
                _position++;
                return resolveSymbol(token);
            case TokenKind.Punctuation when token.Text == "(":
            {
                _position++;
                var inner = ParseAdditive();
                if (inner is null) return null;
                if (Current is not { Kind: TokenKind.Punctuation, Text: ")" })
                    return Fail(Current ?? token, "expected ')'");
                _position++;
                return inner;
            }
            default:
                return Fail(token, $"expected an expression, got '{token.Text}'");
        }
    }

    private Expression? Fail(Token? at, string message)
    {
        if (Error is null)
        {
            Error = message;
            ErrorAt = at;
        }
        return null;
    }
}

/// <summary>Evaluates expression trees. Symbols come from a lookup that may say "not known yet".</summary>
/// <remarks>
/// The lookup receives the current depth so that symbols defined through other symbols continue counting;
/// evaluation stops at <see cref="MaxDepth"/> levels, which keeps hostile input from overflowing the stack.
/// </remarks>
internal static class ExpressionEvaluator
{
    public const int MaxDepth = 1000;

    public static Evaluation Evaluate(Expression expression, Func<SymbolExpression, int, Evaluation> lookup, int depth = 0)
    {
        if (depth > MaxDepth) return Evaluation.Fail(expression.At, "expression is nested too deeply");
        switch (expression)
        {
            case NumberExpression n:
                return Evaluation.Of(n.Value);
            case SymbolExpression s:
                return lookup(s, depth + 1);
            case UnaryExpression u:
            {
                var operand = Evaluate(u.Operand, lookup, depth + 1);
                if (!operand.Known) return operand;
                return Evaluation.Of(u.Operator switch
                {
                    "-" => unchecked(-operand.Value),
                    "~" => ~operand.Value,
                    "!" => operand.Value == 0 ? 1 : 0,
                    _ => operand.Value,
                });
            }
            case BinaryExpression b:
            {
                var left = Evaluate(b.Left, lookup, depth + 1);
                if (left.Error is not null) return left;
                var right = Evaluate(b.Right, lookup, depth + 1);
                if (right.Error is not null) return right;
                if (!left.Known || !right.Known) return Evaluation.NotYetKnown;
                long l = left.Value, r = right.Value;
                if (b.Operator is "/" or "%" && r == 0) return Evaluation.Fail(b.At, "division by zero");
                return Evaluation.Of(unchecked(b.Operator switch
                {
                    "+" => l + r,
                    "-" => l - r,
                    "*" => l * r,
                    "/" => r == -1 ? -l : l / r,
                    "%" => r == -1 ? 0 : l % r,
                    "<<" => r is >= 0 and < 64 ? l << (int)r : 0,
                    ">>" => r is >= 0 and < 64 ? l >> (int)r : (l < 0 ? -1 : 0),
                    "&" => l & r,
                    "|" => l | r,
                    "^" => l ^ r,
                    _ => 0,
                }));
            }
            default:
                return Evaluation.Fail(expression.At, "unsupported expression");
        }
    }
}
