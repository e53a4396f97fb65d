namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// Message texts that are odd, hostile or huge, each named. They are sent in valid, signed envelopes, so each must get
/// a polite Chinese answer (never an error), be taken as text (never as SQL, markup or XML), and never reach a log.
/// </summary>
public static class TextPayloads
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["control-chars"] = "\u0001\u0002帮助\u0007\u001b[31m",
        ["nul-inside"] = "帮\0助",
        ["bell-and-backspace"] = "我的提案\b\b\b\a",
        ["zero-width-inside"] = "帮\u200B助\u200C\u200D",
        ["bom-leading"] = "\uFEFF我的提案",
        ["zero-width-only"] = "\u200B\u200B\u2060",
        ["emoji-only"] = "👍👍👍",
        ["emoji-and-words"] = "帮助🙏",
        ["emoji-zwj-family"] = "👨‍👩‍👧‍👦 关于家庭的建议",
        ["flags-and-skin-tones"] = "🇨🇳🏳️‍🌈👋🏿",
        ["rtl-override"] = "\u202Eمرحبا 帮助",
        ["hebrew"] = "שלום עולם",
        ["mixed-scripts"] = "Привет 你好 مرحبا こんにちは 안녕하세요",
        ["fullwidth-latin"] = "ｈｅｌｐ　帮助",
        ["combining-marks"] = "帮助" + string.Concat(Enumerable.Repeat("\u0301\u0308", 200)),
        ["lone-surrogate"] = "帮助\uD800结尾",
        ["whitespace-only"] = " \t\u3000\u00A0 ",
        ["newlines-only"] = "\n\r\n\n",
        ["long-10k-han"] = new string('长', 10_000),
        ["long-10k-ascii"] = "help " + new string('a', 10_000),
        ["long-10k-emoji"] = string.Concat(Enumerable.Repeat("😀", 10_000)),
        ["long-10k-lines"] = string.Concat(Enumerable.Repeat("第一行\n", 2_500)),
        ["sql-drop"] = "'; DROP TABLE Members; --",
        ["sql-or-true"] = "1' OR '1'='1",
        ["sql-union"] = "养老%' UNION SELECT Id, Name, Phone FROM Members --",
        ["sql-number"] = "一届五次第0035号' OR 1=1 --",
        ["sql-delete"] = "\"; DELETE FROM Proposals; --",
        ["html-script"] = "<script>alert('x')</script>",
        ["html-img"] = "<img src=x onerror=alert(1)>我的提案",
        ["markdown-link"] = "**粗体** [点这里](http://evil.example/) `code`",
        ["xml-cdata-end"] = "]]><xml><Content>x</Content></xml>",
        ["xml-entity"] = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        ["xml-escapes"] = "&lt;&amp;&#x0;&#0;&#xD800;",
        ["template-injection"] = "{{7*7}} ${7*7} {0}{1} %s%n%d",
        ["path-traversal"] = "../../etc/passwd",
        ["huge-number"] = "报名 99999999999999999999999",
        ["negative-number"] = "第-1号提案",
        ["personal-data"] = "我的手机号13800001111，身份证330110196001011234",
        ["mention-all"] = "@all @所有人 帮助",
        ["json-like"] = "{\"msgtype\":\"text\",\"text\":{\"content\":\"帮助\"}}",
    };

    /// <summary>Names of the payloads, for theories.</summary>
    public static IEnumerable<string> Names => All.Keys;

    /// <summary>Parts of a payload distinctive enough that finding them in a log line means the text leaked there.</summary>
    public static string[] Distinctive(string payload) =>
        payload.Length >= 8 && payload.Any(char.IsLetterOrDigit) ? [payload[..8]] : [];
}
