using System.Text;

namespace VirtLab.Assembly;

/// <summary>The kinds of token in assembly source.</summary>
internal enum TokenKind
{
    /// <summary>A name: mnemonic, directive, register, symbol (letters, digits, <c>_ . $ @</c>).</summary>
    Identifier,
    /// <summary>An integer or character literal; <see cref="Token.Value"/> holds it.</summary>
    Number,
    /// <summary>A numeric local label reference such as <c>1f</c> or <c>2b</c>.</summary>
    LocalLabelReference,
    /// <summary>A string literal; <see cref="Token.Bytes"/> holds it with escapes decoded.</summary>
    String,
    /// <summary>A relocation function: <c>%hi</c>, <c>%lo</c>, <c>%pcrel_hi</c>, <c>%pcrel_lo</c>.</summary>
    Relocation,
    /// <summary>An operator or punctuation mark: <c>, ( ) : + - * / % &lt;&lt; &gt;&gt; &amp; | ^ ~ ! =</c>.</summary>
    Punctuation,
    /// <summary>End of a statement: a newline or <c>;</c>.</summary>
    EndOfStatement,
}

internal sealed record Token(TokenKind Kind, string Text, int Line, int Column)
{
    public long Value { get; init; }
    public byte[] Bytes { get; init; } = [];

    public bool Is(string punctuation) => Kind == TokenKind.Punctuation && Text == punctuation;
}

/// <summary>
/// Splits source text into tokens, dropping comments (<c>#</c> and <c>//</c> to end of line, <c>/* */</c>)
/// and turning <c>;</c> and newlines into end-of-statement tokens, as GNU as does for RISC-V.
/// </summary>
internal sealed class Lexer(string source, Action<int, int, string> report)
{
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (_position < source.Length)
        {
            char c = source[_position];
            int column = _position - _lineStart + 1;
            if (c == '\n')
            {
                tokens.Add(new Token(TokenKind.EndOfStatement, "\n", _line, column));
                _position++;
                _line++;
                _lineStart = _position;
            }
            else if (c == ';')
            {
                tokens.Add(new Token(TokenKind.EndOfStatement, ";", _line, column));
                _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (_position < source.Length && source[_position] != '\n') _position++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment(column);
            }
            else if (IsIdentifierStart(c))
            {
                int start = _position;
                while (_position < source.Length && IsIdentifierPart(source[_position])) _position++;
                tokens.Add(new Token(TokenKind.Identifier, source[start.._position], _line, column));
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(column));
            }
            else if (c == '\'')
            {
                tokens.Add(ReadCharacter(column));
            }
            else if (c == '"')
            {
                tokens.Add(ReadString(column));
            }
            else if (c == '%' && _position + 1 < source.Length && char.IsAsciiLetter(source[_position + 1]))
            {
                int start = _position++;
                while (_position < source.Length && IsIdentifierPart(source[_position])) _position++;
                tokens.Add(new Token(TokenKind.Relocation, source[start.._position], _line, column));
            }
            else if ((c == '<' && Peek(1) == '<') || (c == '>' && Peek(1) == '>'))
            {
                tokens.Add(new Token(TokenKind.Punctuation, source.Substring(_position, 2), _line, column));
                _position += 2;
            }
            else if (",():+-*/%&|^~!=".Contains(c))
            {
                tokens.Add(new Token(TokenKind.Punctuation, c.ToString(), _line, column));
                _position++;
            }
            else
            {
                report(_line, column, $"unexpected character '{Printable(c)}'");
                _position++;
            }
        }
        tokens.Add(new Token(TokenKind.EndOfStatement, "", _line, _position - _lineStart + 1));
        return tokens;
    }

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '.' or '$' or '@';
    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);

    private char Peek(int ahead) => _position + ahead < source.Length ? source[_position + ahead] : '\0';

    private void SkipBlockComment(int column)
    {
        int line = _line;
        _position += 2;
        while (_position < source.Length && !(source[_position] == '*' && Peek(1) == '/'))
        {
            if (source[_position] == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            _position++;
        }
        if (_position >= source.Length)
            report(line, column, "unterminated comment");
        else
            _position += 2;
    }

    private Token ReadNumber(int column)
    {
        int start = _position;
        int radix = 10;
        if (source[_position] == '0' && (Peek(1) is 'x' or 'X') && Uri.IsHexDigit(Peek(2)))
        {
            radix = 16;
            _position += 2;
        }
        else if (source[_position] == '0' && (Peek(1) is 'b' or 'B') && Peek(2) is '0' or '1')
        {
            radix = 2;
            _position += 2;
        }
        else if (source[_position] == '0' && char.IsAsciiDigit(Peek(1)))
        {
            radix = 8;
            _position++;
        }
        int digitsStart = _position;
        while (_position < source.Length && Uri.IsHexDigit(source[_position]) && (radix == 16 || char.IsAsciiDigit(source[_position])))
            _position++;
        string digits = source[digitsStart.._position];

        // "1f" and "1b" refer to the next / previous definition of local label "1:".
        if (radix == 10 && _position < source.Length && source[_position] is 'f' or 'b'
            && !IsIdentifierPart(Peek(1)))
        {
            char direction = source[_position++];
            return new Token(TokenKind.LocalLabelReference, digits + direction, _line, column);
        }

        if (_position < source.Length && IsIdentifierPart(source[_position]))
        {
            while (_position < source.Length && IsIdentifierPart(source[_position])) _position++;
            report(_line, column, $"invalid number '{source[start.._position]}'");
            return new Token(TokenKind.Number, source[start.._position], _line, column);
        }

        ulong value = 0;
        bool overflow = false;
        foreach (char d in digits)
        {
            uint digit = (uint)Convert.ToInt32(d.ToString(), 16);
            if (digit >= radix)
            {
                report(_line, column, $"invalid digit '{d}' in number '{source[start.._position]}'");
                break;
            }
            ulong next = unchecked(value * (ulong)radix + digit);
            if ((next - digit) / (ulong)radix != value) overflow = true;
            value = next;
        }
        if (overflow) report(_line, column, $"number '{source[start.._position]}' is too large");
        return new Token(TokenKind.Number, source[start.._position], _line, column) { Value = unchecked((long)value) };
    }

    private Token ReadCharacter(int column)
    {
        int start = _position++;
        var bytes = new List<byte>();
        if (_position < source.Length && source[_position] != '\n')
            ReadCharacterOrEscape(bytes, column);
        if (_position < source.Length && source[_position] == '\'') _position++;
        long value = bytes.Count > 0 ? bytes[0] : 0;
        if (bytes.Count == 0) report(_line, column, "empty character literal");
        return new Token(TokenKind.Number, source[start.._position], _line, column) { Value = value };
    }

    private Token ReadString(int column)
    {
        int start = _position++;
        var bytes = new List<byte>();
        while (_position < source.Length && source[_position] != '"' && source[_position] != '\n')
            ReadCharacterOrEscape(bytes, column);
        if (_position < source.Length && source[_position] == '"')
            _position++;
        else
            report(_line, column, "unterminated string");
        return new Token(TokenKind.String, source[start.._position], _line, column) { Bytes = [.. bytes] };
    }

    /// <summary>Reads one character of a string or character literal, decoding C escapes (<c>\n</c>, <c>\x41</c>, <c>\101</c>).</summary>
    private void ReadCharacterOrEscape(List<byte> bytes, int column)
    {
        char c = source[_position++];
        if (c != '\\')
        {
            if (c < 0x80) bytes.Add((byte)c);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            return;
        }
        if (_position >= source.Length)
        {
            report(_line, column, "backslash at end of input");
            return;
        }
        char e = source[_position++];
        switch (e)
        {
            case 'n': bytes.Add((byte)'\n'); break;
            case 't': bytes.Add((byte)'\t'); break;
            case 'r': bytes.Add((byte)'\r'); break;
            case 'a': bytes.Add(0x07); break;
            case 'b': bytes.Add(0x08); break;
            case 'f': bytes.Add(0x0C); break;
            case 'v': bytes.Add(0x0B); break;
            case 'e': bytes.Add(0x1B); break;
            case '\\': bytes.Add((byte)'\\'); break;
            case '"': bytes.Add((byte)'"'); break;
            case '\'': bytes.Add((byte)'\''); break;
            case 'x' or 'X':
            {
                int value = 0, digits = 0;
                while (_position < source.Length && Uri.IsHexDigit(source[_position]))
                {
                    value = (value * 16 + Convert.ToInt32(source[_position++].ToString(), 16)) & 0xFF;
                    digits++;
                }
                if (digits == 0) report(_line, column, "\\x used with no following hex digits");
                bytes.Add((byte)value);
                break;
            }
            case >= '0' and <= '7':
            {
                int value = e - '0';
                for (int i = 0; i < 2 && _position < source.Length && source[_position] is >= '0' and <= '7'; i++)
                    value = value * 8 + (source[_position++] - '0');
                bytes.Add((byte)value);
                break;
            }
            case '\n':
                _line++;
                _lineStart = _position;
                break;
            default:
                report(_line, column, $"unknown escape sequence '\\{Printable(e)}'");
                bytes.Add((byte)e);
                break;
        }
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString();
}
