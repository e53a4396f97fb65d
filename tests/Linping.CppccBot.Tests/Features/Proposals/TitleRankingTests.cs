using Linping.CppccBot.Features.Proposals;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>The title search on its own: segmentation with jieba's dictionary as shipped in the build output, and ranking.</summary>
public sealed class TitleRankingTests
{
    private static readonly SearchableTitle[] Titles =
    [
        new(12, "关于高水平建设临平数智城的建议"),
        new(41, "关于推进小微园区安全管理的建议"),
        new(58, "关于加强电动自行车消防安全管理的建议"),
        new(35, "关于完善居家养老服务照料中心功能的建议"),
    ];

    private readonly ProposalSearch _search = new(new TitleSegmenter());

    [Fact]
    public void TheSegmenter_LoadsItsDictionary_AndKeepsKnownWordsWhole()
    {
        var words = new TitleSegmenter().Words("关于加强电动自行车消防安全管理的建议");

        Assert.Contains("自行车", words);
        Assert.Contains("消防安全", words);
    }

    [Fact]
    public void AMoreSpecificQuery_PrefersTheTitleWithTheRarerWords()
    {
        var result = _search.Search("小微园区安全管理", Titles);

        Assert.Equal(SearchOutcome.OneClearMatch, result.Outcome);
        Assert.Equal([41], result.Ids);
    }

    [Fact]
    public void WordsSharedByTwoTitles_AreAmbiguous()
    {
        var result = _search.Search("安全管理", Titles);

        Assert.Equal(SearchOutcome.Several, result.Outcome);
        Assert.Equal([41, 58], result.Ids);
    }

    [Theory]
    [InlineData("关于的建议")]
    [InlineData("提案")]
    [InlineData("区块链")]
    [InlineData("")]
    public void GenericOrUnknownWords_FindNothing(string query) =>
        Assert.Equal(SearchOutcome.None, _search.Search(query, Titles).Outcome);

    [Fact]
    public void AQueryWithATypo_IsOnlyApproximate()
    {
        var result = _search.Search("电瓶自形车", Titles);

        Assert.Equal(SearchOutcome.Approximate, result.Outcome);
        Assert.Equal([58], result.Ids);
    }
}
