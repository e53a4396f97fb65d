using System.Text;
using Linping.CppccBot.Channels.WeCom;

namespace Linping.CppccBot.Tests.Channels.WeCom;

public sealed class WeComTextTests
{
    [Fact]
    public void Split_EmptyText_GivesNoParts() => Assert.Empty(WeComText.Split(string.Empty));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2048, 1)]
    [InlineData(2049, 2)]
    [InlineData(4096, 2)]
    [InlineData(5000, 3)]
    public void Split_Ascii_CutsAtTheByteLimit(int length, int expectedParts)
    {
        var text = new string('a', length);

        var parts = WeComText.Split(text);

        Assert.Equal(expectedParts, parts.Count);
        Assert.All(parts.SkipLast(1), p => Assert.Equal(2048, p.Length));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_ChineseThreeByteChars_NeverCutsACharacter()
    {
        var text = string.Concat(Enumerable.Repeat("政协委员履职", 300)); // 1800 chars, 5400 bytes

        var parts = WeComText.Split(text);

        Assert.Equal(3, parts.Count);
        Assert.Equal(682, parts[0].Length); // 682 × 3 = 2046: one more would be 2049
        Assert.All(parts, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, 2048));
        Assert.Equal(text, string.Concat(parts));
    }

    [Theory]
    [InlineData(2044, 1)] // the emoji ends exactly at 2048 bytes
    [InlineData(2045, 2)] // the emoji would straddle the limit: it moves whole to the next part
    [InlineData(2047, 2)]
    public void Split_FourByteEmojiAtTheBoundary_StaysWhole(int prefix, int expectedParts)
    {
        var text = new string('a', prefix) + "😀" + "b";
        if (expectedParts == 1)
        {
            text = text[..^1];
        }

        var parts = WeComText.Split(text);

        Assert.Equal(expectedParts, parts.Count);
        Assert.All(parts, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, 2048));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1]), "a part ends inside a surrogate pair"));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_PrefersALineBreakNearTheLimit()
    {
        var text = new string('a', 1800) + "\n" + new string('b', 500);

        var parts = WeComText.Split(text);

        Assert.Equal([new string('a', 1800) + "\n", new string('b', 500)], parts);
    }

    [Fact]
    public void Split_IgnoresALineBreakFarFromTheLimit()
    {
        var text = new string('a', 100) + "\n" + new string('b', 3000);

        var parts = WeComText.Split(text);

        Assert.Equal(2048, parts[0].Length);
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_LoneSurrogate_CountsAsTheThreeBytesUtf8WritesForIt()
    {
        var text = new string('a', 2046) + "\uD800" + "z";

        var parts = WeComText.Split(text);

        Assert.Equal(2, parts.Count);
        Assert.Equal(2046, parts[0].Length);
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_SmallLimit_StillMakesProgress()
    {
        var parts = WeComText.Split("😀😀a", maxBytes: 4);

        Assert.Equal(["😀", "😀", "a"], parts);
    }

    [Fact]
    public void Split_LimitBelowOneRune_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WeComText.Split("a", maxBytes: 3));
}
