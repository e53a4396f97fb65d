using System.Globalization;
using System.Text;
using System.Xml;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// A small, strict reader for the XML that WeCom callbacks carry: element trees a few levels deep whose values are
/// text or CDATA. It reads exactly what <see cref="XmlReader"/> with DTDs prohibited reads for such documents (the
/// tests compare the two on a corpus and on random mutations) and allocates a fraction of what XmlReader does: a
/// callback has two of these documents, and XmlReader's buffers were a third of all the host allocated per message.
/// </summary>
/// <remarks>
/// Accepted: an optional XML declaration; comments and processing instructions outside values
/// (skipped); elements with attributes (read and ignored, duplicates refused); text with the five predefined entities
/// and character references; CDATA sections; line ends normalised to <c>\n</c> as XML requires. Refused, with
/// <see cref="WeComCryptoException"/> (ParseXml): any DTD (so no entity definitions, external or expanding),
/// undefined entities, characters XML does not allow, names with a namespace prefix and namespace declarations (WeCom
/// uses none), an encoding in the declaration that is not an encoding name, unclosed or
/// mismatched tags, more than one root, nesting deeper than <see cref="MaxDepth"/>, documents longer than
/// <see cref="MaxCharacters"/>.
/// </remarks>
internal ref struct WeComXmlReader
{
    public const int MaxDepth = 8;
    public const int MaxCharacters = WeComXml.MaxCharactersInDocument;

    // The element names of WeCom callbacks, so that reading them allocates no string.
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownNames = new[]
    {
        "xml", "ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "AgentID", "Encrypt",
        "MsgSignature", "TimeStamp", "Nonce", "Event", "EventKey", "TaskId", "CardType", "ResponseCode", "MediaId",
        "PicUrl", "SelectedItems", "SelectedItem", "QuestionKey", "OptionIds", "OptionId", "ChangeType", "UserID",
    }.ToDictionary(n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly ReadOnlySpan<char> _xml;
    private int _pos;
    private StringBuilder? _text;

    private WeComXmlReader(ReadOnlySpan<char> xml)
    {
        _xml = xml;
        _pos = 0;
        _text = null;
    }

    /// <summary>Reads a whole document into its root element.</summary>
    /// <exception cref="WeComCryptoException">The document is not well-formed or not allowed (ParseXml).</exception>
    public static WeComXmlNode Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxCharacters)
        {
            throw Fail("WeCom XML is too long.");
        }

        var reader = new WeComXmlReader(xml);
        return reader.ReadDocument();
    }

    private WeComXmlNode ReadDocument()
    {
        if (StartsWith("<?xml") && _pos + 5 < _xml.Length && IsWhitespace(_xml[_pos + 5]))
        {
            ReadDeclaration();
        }

        SkipMisc();
        if (!StartsWith("<") || StartsWith("<!"))
        {
            throw Fail(StartsWith("<!DOCTYPE") ? "WeCom XML must not have a DTD." : "WeCom XML has no root element.");
        }

        var root = ReadElement(depth: 0);
        SkipMisc();
        if (_pos != _xml.Length)
        {
            throw Fail("WeCom XML has content after its root element.");
        }

        return root;
    }

    // <?xml version="1.0" encoding="..." standalone="..."?>: version first and 1.0, the rest optional and in order.
    private void ReadDeclaration()
    {
        _pos += 5;
        var end = _xml[_pos..].IndexOf("?>", StringComparison.Ordinal);
        if (end < 0)
        {
            throw Fail("WeCom XML declaration is not closed.");
        }

        var body = _xml.Slice(_pos, end);
        _pos += end + 2;
        CheckChars(body);

        var seen = 0;
        var i = 0;
        while (true)
        {
            var hadSpace = SkipWhitespace(body, ref i);
            if (i == body.Length)
            {
                break;
            }

            if (!hadSpace)
            {
                throw Fail("WeCom XML declaration is malformed.");
            }

            var name = ReadName(body, ref i);
            SkipWhitespace(body, ref i);
            if (i == body.Length || body[i] != '=')
            {
                throw Fail("WeCom XML declaration is malformed.");
            }

            i++;
            SkipWhitespace(body, ref i);
            var value = ReadQuoted(body, ref i);
            var order = name switch
            {
                "version" => 1,
                "encoding" => 2,
                "standalone" => 3,
                _ => 0,
            };
            var valid = order switch
            {
                1 => value is "1.0",
                // Empty (XmlReader over a string lets that pass) or an encoding name as the XML spec has it; XmlReader
                // lets some other odd names pass too, which are refused here.
                2 => value.Length == 0 || (char.IsAsciiLetter(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')),
                3 => value is "yes" or "no",
                _ => false,
            };
            if (!valid || order <= seen || (seen == 0 && order != 1))
            {
                throw Fail("WeCom XML declaration is malformed.");
            }

            seen = order;
        }

        if (seen == 0)
        {
            throw Fail("WeCom XML declaration has no version.");
        }
    }

    // Whitespace, comments and processing instructions, as allowed before and after the root element.
    private void SkipMisc()
    {
        while (true)
        {
            SkipWhitespace(_xml, ref _pos);
            if (StartsWith("<!--"))
            {
                SkipComment();
            }
            else if (StartsWith("<?"))
            {
                SkipProcessingInstruction();
            }
            else
            {
                return;
            }
        }
    }

    private WeComXmlNode ReadElement(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Fail("WeCom XML is nested too deeply.");
        }

        _pos++; // '<'
        var name = ReadElementName();
        ReadAttributes(out var selfClosing);
        var node = new WeComXmlNode(name);
        if (selfClosing)
        {
            return node;
        }

        var text = _text ??= new StringBuilder();
        var textStart = text.Length;
        while (true)
        {
            if (_pos >= _xml.Length)
            {
                throw Fail("WeCom XML ends early.");
            }

            var c = _xml[_pos];
            if (c == '<')
            {
                if (StartsWith("</"))
                {
                    _pos += 2;
                    var endName = _xml[_pos..];
                    if (!endName.StartsWith(name, StringComparison.Ordinal))
                    {
                        throw Fail("WeCom XML has a mismatched end tag.");
                    }

                    _pos += name.Length;
                    if (_pos < _xml.Length && IsNameChar(_xml[_pos]))
                    {
                        throw Fail("WeCom XML has a mismatched end tag.");
                    }

                    SkipWhitespace(_xml, ref _pos);
                    Expect('>');
                    break;
                }

                if (StartsWith("<![CDATA["))
                {
                    ReadCdata(text);
                }
                else if (StartsWith("<!--"))
                {
                    SkipComment();
                }
                else if (StartsWith("<?"))
                {
                    SkipProcessingInstruction();
                }
                else if (StartsWith("<!"))
                {
                    throw Fail("WeCom XML has a declaration inside an element.");
                }
                else
                {
                    // A child element: text read so far belongs to no value (the value of an element with children
                    // is empty), but its characters must still be valid, which reading them has checked.
                    node.Children.Add(ReadElement(depth + 1));
                }
            }
            else
            {
                ReadText(text);
            }
        }

        node.Value = node.Children.Count == 0 && text.Length > textStart ? text.ToString(textStart, text.Length - textStart) : string.Empty;
        text.Length = textStart;
        return node;
    }

    private string ReadElementName()
    {
        var name = ReadNameSpan(_xml, ref _pos);
        return KnownNames.TryGetValue(name, out var known) ? known : name.ToString();
    }

    private void ReadAttributes(out bool selfClosing)
    {
        List<string>? names = null;
        while (true)
        {
            var hadSpace = SkipWhitespace(_xml, ref _pos);
            if (_pos >= _xml.Length)
            {
                throw Fail("WeCom XML ends inside a tag.");
            }

            if (_xml[_pos] == '>')
            {
                _pos++;
                selfClosing = false;
                return;
            }

            if (_xml[_pos] == '/')
            {
                _pos++;
                Expect('>');
                selfClosing = true;
                return;
            }

            if (!hadSpace)
            {
                throw Fail("WeCom XML has a malformed tag.");
            }

            var name = ReadName(_xml, ref _pos);
            if (name.StartsWith("xmlns", StringComparison.Ordinal) && (name.Length == 5 || name[5] == ':'))
            {
                throw Fail("WeCom XML declares a namespace.");
            }

            names ??= [];
            if (names.Contains(name))
            {
                throw Fail("WeCom XML repeats an attribute.");
            }

            names.Add(name);
            SkipWhitespace(_xml, ref _pos);
            Expect('=');
            SkipWhitespace(_xml, ref _pos);
            if (_pos >= _xml.Length || _xml[_pos] is not ('"' or '\''))
            {
                throw Fail("WeCom XML has an unquoted attribute value.");
            }

            var quote = _xml[_pos++];
            while (true)
            {
                if (_pos >= _xml.Length)
                {
                    throw Fail("WeCom XML ends inside an attribute value.");
                }

                var c = _xml[_pos];
                if (c == quote)
                {
                    _pos++;
                    break;
                }

                if (c == '<')
                {
                    throw Fail("WeCom XML has '<' in an attribute value.");
                }

                if (c == '&')
                {
                    ReadReference(null);
                }
                else
                {
                    _pos += CheckChar(_xml, _pos);
                }
            }
        }
    }

    // Character data up to the next '<': entities decoded, line ends normalised, "]]>" refused.
    private void ReadText(StringBuilder text)
    {
        var runStart = _pos;
        while (_pos < _xml.Length)
        {
            var c = _xml[_pos];
            if (c == '<')
            {
                break;
            }

            if (c == '&')
            {
                text.Append(_xml[runStart.._pos]);
                ReadReference(text);
                runStart = _pos;
                continue;
            }

            if (c == '\r')
            {
                text.Append(_xml[runStart.._pos]).Append('\n');
                _pos += _pos + 1 < _xml.Length && _xml[_pos + 1] == '\n' ? 2 : 1;
                runStart = _pos;
                continue;
            }

            if (c == '>' && _pos >= 2 && _xml[_pos - 1] == ']' && _xml[_pos - 2] == ']' && _pos - 2 >= runStart)
            {
                throw Fail("WeCom XML has ']]>' in text.");
            }

            _pos += CheckChar(_xml, _pos);
        }

        text.Append(_xml[runStart.._pos]);
    }

    private void ReadCdata(StringBuilder text)
    {
        _pos += "<![CDATA[".Length;
        var end = _xml[_pos..].IndexOf("]]>", StringComparison.Ordinal);
        if (end < 0)
        {
            throw Fail("WeCom XML has an unclosed CDATA section.");
        }

        var content = _xml.Slice(_pos, end);
        CheckChars(content);

        AppendNormalisingLineEnds(text, content);
        _pos += end + 3;
    }

    // &lt; &gt; &amp; &quot; &apos; &#N; &#xH;  Anything else is an undefined entity (no DTD can define one).
    private void ReadReference(StringBuilder? text)
    {
        var end = _xml[_pos..].IndexOf(';');
        if (end < 2)
        {
            throw Fail("WeCom XML has a malformed entity reference.");
        }

        var reference = _xml.Slice(_pos + 1, end - 1);
        _pos += end + 1;
        if (reference[0] == '#')
        {
            var isHex = reference.Length > 1 && reference[1] == 'x';
            var digits = reference[(isHex ? 2 : 1)..];
            if (digits.Length == 0
                || digits.ContainsAnyExcept(isHex ? "0123456789abcdefABCDEF" : "0123456789")
                || !int.TryParse(digits, isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || !IsXmlCodePoint(code))
            {
                throw Fail("WeCom XML has an invalid character reference.");
            }

            if (text is null)
            {
                return;
            }

            if (code > 0xFFFF)
            {
                text.Append(char.ConvertFromUtf32(code));
            }
            else
            {
                text.Append((char)code);
            }

            return;
        }

        char value = reference switch
        {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => throw Fail("WeCom XML refers to an undefined entity."),
        };
        text?.Append(value);
    }

    private void SkipComment()
    {
        _pos += 4;
        var end = _xml[_pos..].IndexOf("--", StringComparison.Ordinal);
        if (end < 0 || _pos + end + 2 >= _xml.Length || _xml[_pos + end + 2] != '>')
        {
            throw Fail("WeCom XML has a malformed comment.");
        }

        var content = _xml.Slice(_pos, end);
        CheckChars(content);

        _pos += end + 3;
    }

    private void SkipProcessingInstruction()
    {
        _pos += 2;
        var target = ReadName(_xml, ref _pos);
        if (target.Equals("xml", StringComparison.OrdinalIgnoreCase))
        {
            throw Fail("WeCom XML has a misplaced XML declaration.");
        }

        var end = _xml[_pos..].IndexOf("?>", StringComparison.Ordinal);
        if (end < 0 || (end > 0 && !IsWhitespace(_xml[_pos])))
        {
            throw Fail("WeCom XML has a malformed processing instruction.");
        }

        var content = _xml.Slice(_pos, end);
        CheckChars(content);

        _pos += end + 2;
    }

    private static string ReadName(ReadOnlySpan<char> xml, ref int pos) => ReadNameSpan(xml, ref pos).ToString();

    // An XML name without a namespace prefix (WeCom uses none).
    private static ReadOnlySpan<char> ReadNameSpan(ReadOnlySpan<char> xml, ref int pos)
    {
        var start = pos;
        if (pos >= xml.Length || !IsNameStartChar(xml[pos]))
        {
            throw Fail("WeCom XML has an invalid name.");
        }

        while (pos < xml.Length && IsNameChar(xml[pos]))
        {
            pos++;
        }

        if (pos < xml.Length && xml[pos] == ':')
        {
            throw Fail("WeCom XML uses a namespace prefix.");
        }

        return xml[start..pos];
    }

    private static string ReadQuoted(ReadOnlySpan<char> xml, ref int pos)
    {
        if (pos >= xml.Length || xml[pos] is not ('"' or '\''))
        {
            throw Fail("WeCom XML declaration is malformed.");
        }

        var quote = xml[pos];
        var end = xml[(pos + 1)..].IndexOf(quote);
        if (end < 0)
        {
            throw Fail("WeCom XML declaration is malformed.");
        }

        var value = xml.Slice(pos + 1, end).ToString();
        pos += end + 2;
        return value;
    }

    private static void AppendNormalisingLineEnds(StringBuilder text, ReadOnlySpan<char> content)
    {
        while (true)
        {
            var cr = content.IndexOf('\r');
            if (cr < 0)
            {
                text.Append(content);
                return;
            }

            text.Append(content[..cr]).Append('\n');
            content = content[(cr + 1 < content.Length && content[cr + 1] == '\n' ? cr + 2 : cr + 1)..];
        }
    }

    private bool StartsWith(string value) => _xml[_pos..].StartsWith(value, StringComparison.Ordinal);

    private void Expect(char c)
    {
        if (_pos >= _xml.Length || _xml[_pos] != c)
        {
            throw Fail("WeCom XML has a malformed tag.");
        }

        _pos++;
    }

    private static bool SkipWhitespace(ReadOnlySpan<char> xml, ref int pos)
    {
        var start = pos;
        while (pos < xml.Length && IsWhitespace(xml[pos]))
        {
            pos++;
        }

        return pos > start;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsNameStartChar(char c) => XmlConvert.IsStartNCNameChar(c);

    private static bool IsNameChar(char c) => XmlConvert.IsNCNameChar(c);

    private static void CheckChars(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length;)
        {
            i += CheckChar(text, i);
        }
    }

    // The length of the valid character at xml[i] (2 for a surrogate pair); throws for anything XML 1.0 excludes.
    private static int CheckChar(ReadOnlySpan<char> xml, int i)
    {
        var c = xml[i];
        if (c >= 0x20 && c < 0xD800)
        {
            return 1;
        }

        if (c is '\t' or '\n' or '\r' || (c >= 0xE000 && c <= 0xFFFD))
        {
            return 1;
        }

        if (char.IsHighSurrogate(c) && i + 1 < xml.Length && char.IsLowSurrogate(xml[i + 1]))
        {
            return 2;
        }

        throw Fail("WeCom XML has a character XML does not allow.");
    }

    private static bool IsXmlCodePoint(int code) =>
        code is 0x9 or 0xA or 0xD
        || (code >= 0x20 && code <= 0xD7FF)
        || (code >= 0xE000 && code <= 0xFFFD)
        || (code >= 0x10000 && code <= 0x10FFFF);

    private static WeComCryptoException Fail(string message) => new(WeComCryptoError.ParseXml, message);
}

/// <summary>An element read by <see cref="WeComXmlReader"/>: its children, or (without children) its text.</summary>
internal sealed class WeComXmlNode(string name)
{
    public string Name { get; } = name;

    public string Value { get; set; } = string.Empty;

    public List<WeComXmlNode> Children { get; } = [];

    // The first element of that name wins; names are case-sensitive as in XML.
    public WeComXmlNode? Child(string name) => Children.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public string? Text(string name) => Child(name)?.Value;
}
