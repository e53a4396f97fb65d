using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Linping.CppccBot.Features.Console;

/// <summary>A piece of HTML that is already safe: literal markup, or text that went through the encoder.</summary>
public readonly record struct Markup(string Value)
{
    public static Markup Empty { get; } = new(string.Empty);

    public override string ToString() => Value;
}

/// <summary>
/// Builds HTML from interpolated strings: the literal parts are markup, every hole is HTML-encoded unless it is already
/// <see cref="Markup"/>. So <c>Html.Of($"&lt;td&gt;{member.Name}&lt;/td&gt;")</c> cannot inject markup, whatever the name holds.
/// </summary>
public static class Html
{
    /// <summary>Encodes everything outside ASCII letters, digits and punctuation that HTML needs escaped; Chinese stays readable.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Markup Of(ref MarkupHandler handler) => handler.ToMarkup();

    public static string Encode(string? text) => Encoder.Encode(text ?? string.Empty);

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    [InterpolatedStringHandler]
    public ref struct MarkupHandler
    {
        private readonly StringBuilder _builder;

        public MarkupHandler(int literalLength, int formattedCount)
        {
            _ = formattedCount;
            _builder = new StringBuilder(literalLength + 64);
        }

        public readonly void AppendLiteral(string value) => _builder.Append(value);

        /// <summary>Markup and sequences of markup go in as they are; anything else is encoded text.</summary>
        public readonly void AppendFormatted<T>(T value)
        {
            switch (value)
            {
                case Markup markup:
                    _builder.Append(markup.Value);
                    break;
                case IEnumerable<Markup> parts:
                    foreach (var part in parts)
                    {
                        _builder.Append(part.Value);
                    }

                    break;
                case null:
                    break;
                case IFormattable formattable:
                    _builder.Append(Encode(formattable.ToString(null, CultureInfo.InvariantCulture)));
                    break;
                default:
                    _builder.Append(Encode(value.ToString()));
                    break;
            }
        }

        public readonly Markup ToMarkup() => new(_builder.ToString());
    }
}
