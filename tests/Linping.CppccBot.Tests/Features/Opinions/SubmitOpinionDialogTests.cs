using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>The 社情民意 report dialog through the real turn handler, against the seeded demo data (no report of 2026 yet).</summary>
public sealed class SubmitOpinionDialogTests : IDisposable
{
    private const string Title = "关于老旧小区停车难的建议";

    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AWholeReport_InSeveralMessages_IsStoredAsSubmitted_UnderTheFirstNumberOfTheYear()
    {
        var second = "建议：一是利用小区周边闲置地块建设立体停车库；二是推行错时共享停车，与周边单位签订协议；三是由街道牵头，物业和业委会共同制定停车管理公约。";

        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("第1步", "标题", "涉密")
            .Send(Title).Expect("第2步", Title)
            .Send(OpinionTestData.Paragraph).Expect("已收到第1段", $"共{OpinionText.Length(OpinionTestData.Paragraph)}字")
            .Send(second).Expect("已收到第2段")
            .Send("发完了").Expect("第3步", "经济", "生态文明", "跳过")
            .Send("4").Expect("请核对", Title, "类别：社会", "我所在的社区是上世纪九十年代", "1. 确认提交")
            .Send("确认提交").Expect("提交成功", "SQMY-2026-0001", Title, "已报送", "我的社情民意")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
        Assert.Equal("SQMY-2026-0001", stored.Id);
        Assert.Equal(Title, stored.Title);
        Assert.Equal(OpinionTestData.Paragraph + "\n" + second, stored.Content);
        Assert.Equal("社会", stored.Category);
        Assert.Equal(OpinionStatus.Submitted, stored.Status);
        Assert.Equal(_host.Time.GetUtcNow(), stored.SubmittedAt);
        var history = Assert.Single(stored.History);
        Assert.Equal(OpinionStatus.Submitted, history.Status);

        var change = Assert.Single(await OpinionTestData.StateChangesOfAsync(_host, "SQMY-2026-0001"));
        Assert.Equal("M001", change.Actor);
        Assert.Null(change.From);
        Assert.Equal(nameof(OpinionStatus.Submitted), change.To);
        Assert.Equal(_host.Time.GetUtcNow(), change.At);
        Assert.Null(change.Note);
    }

    [Fact]
    public async Task CharactersThatShowNothing_AreNotStoredInTheReport()
    {
        // Soft hyphen, Mongolian vowel separator, invisible operators, zero-width space, word joiner: pasted from the
        // web or Word they hide in the text staff read and export.
        const string Hidden = "\u00AD\u180E\u2061\u2062\u2063\u2064\u200B\u2060";
        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("第1步")
            .Send("关于老旧小区\u00AD停车难\u2062的建议").Expect("第2步", Title)
            .Send(OpinionTestData.Paragraph + Hidden).Expect("已收到第1段")
            .Send("发完了").Expect("第3步")
            .Send("4").Expect("1. 确认提交")
            .Send("确认提交").Expect("提交成功")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
        Assert.Equal(Title, stored.Title);
        Assert.Equal(OpinionTestData.Paragraph, stored.Content);
    }

    [Fact]
    public async Task ConfirmingAgain_AfterTheReportWasSubmitted_SaysThereIsNothingToConfirm_AndStoresNothingMore()
    {
        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("第1步")
            .Send(Title).Expect("第2步")
            .Send(OpinionTestData.Paragraph).Expect("已收到第1段")
            .Send("发完了").Expect("第3步")
            .Send("4").Expect("1. 确认提交")
            .Send("确认提交").Expect("提交成功", "SQMY-2026-0001")
            .Send("确认").Expect("当前没有等您确认的事项（已提交或已办好的不用再确认）")
            .Send("确认提交！").Expect("当前没有等您确认的事项")
            .RunAsync();

        Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
    }

    [Fact]
    public async Task TheSecrecyReminder_IsGivenOnce_AtTheStart()
    {
        var replies = new List<string>();
        var member = _host.Member("chenxiaoyan");
        foreach (var text in new[] { "我要提交社情民意", Title, OpinionTestData.Paragraph, "完成", "跳过" })
        {
            replies.AddRange(await member.SendAsync(text));
        }

        Assert.Single(replies, r => r.Contains("涉密", StringComparison.Ordinal));
        Assert.Contains("涉密", replies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATopicNamedInTheRequest_IsOfferedAsTheTitle_AndTakenOnYes()
    {
        await _host.Member("liuzhiqiang").Script()
            .Send("我想报送一条信息，关于小区停车难").Expect("“关于小区停车难”可以吗")
            .Send("是的").Expect("第2步", "标题：关于小区停车难")
            .Send(OpinionTestData.Paragraph).Expect("第1段")
            .Send("好了").Expect("第3步")
            .Send("跳过").Expect("标题：关于小区停车难", "类别：未分类")
            .Send("1").Expect("SQMY-2026-0001")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M003"));
        Assert.Equal("关于小区停车难", stored.Title);
        Assert.Null(stored.Category);
    }

    [Fact]
    public async Task AnOfferedTitle_IsReplaced_WhenTheMemberSendsAnother()
    {
        await _host.Member("liuzhiqiang").Script()
            .Send("反映一条社情民意，关于小区停车难").Expect("可以吗")
            .Send(Title).Expect("第2步", "标题：" + Title)
            .RunAsync();
    }

    [Fact]
    public async Task AnOfferedTitle_RefusedWithNo_AsksForANewTitle_InsteadOfTakingNoAsTheTitle()
    {
        await _host.Member("liuzhiqiang").Script()
            .Send("我想报送一条信息，关于小区停车难").Expect("可以吗")
            .Send("不是").Expect("请发送新的标题")
            .Send(Title).Expect("标题：" + Title)
            .RunAsync();
    }

    [Fact]
    public async Task EditingTitleAndContent_FromTheSummary_ReturnsToTheSummary_AndStoresTheEdits()
    {
        const string NewTitle = "关于破解老旧小区停车难题的建议";
        var newContent = "新的正文：" + OpinionTestData.Paragraph;

        await _host.Member("zhanglihua").Script()
            .UpToSummary(Title, "经济", OpinionTestData.Paragraph)
            .Send("修改标题").Expect("请发送新的标题")
            .Send(NewTitle).Expect("请核对", "标题：" + NewTitle, "类别：经济")
            .Send("3").Expect("重新发送正文", "替换")
            .Send(newContent).Expect("第1段")
            .Send("完成").Expect("请核对", "新的正文：我所在的社区")
            .Send("修改类别").Expect("序号")
            .Send("文化建设").Expect("请核对", "类别：文化")
            .Send("确认").Expect("SQMY-2026-0001", NewTitle)
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M004"));
        Assert.Equal(NewTitle, stored.Title);
        Assert.Equal(newContent, stored.Content);
        Assert.Equal("文化", stored.Category);
    }

    [Theory]
    [InlineData("取消")]
    [InlineData("算了不弄了")]
    [InlineData("不报了")]
    public async Task CancellingMidway_StoresNothing(string cancel)
    {
        await _host.Member("zhouwei").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .Send(OpinionTestData.Paragraph).Expect("第1段")
            .Send(cancel).Expect("确定放弃“提交社情民意”吗？已填写的标题和正文将不会保存")
            .Send("确定").Expect("已取消“提交社情民意”", "没有保存")
            .Send("我的社情民意").Expect("SQMY-2025-0001").RunAsync();

        Assert.Equal(1, await OpinionTestData.OpinionCountAsync(_host));
    }

    [Fact]
    public async Task CancellingAtTheSummary_WithFour_StoresNothing_AndEndsTheDialog()
    {
        await _host.Member("wumin").Script()
            .UpToSummary(Title, "跳过", OpinionTestData.Paragraph)
            .Send("4").Expect("已取消", "没有保存")
            .Send("1").Expect("没太明白", "最近没有可以按序号选择的列表")
            .RunAsync();

        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M006"));
    }

    [Fact]
    public async Task Help_AtEachStep_ExplainsThatStep_AndKeepsWhatWasEntered()
    {
        await _host.Member("xuhaitao").Script()
            .Send("我想报送一条信息，关于小区停车难").Expect("可以吗")
            .Send("帮助").Expect("确认标题", "关于小区停车难", "取消")
            .Send("换一个").Expect("新的标题")
            .Send("帮助").Expect("第1步", "50字以内", "取消")
            .Send(Title).Expect("第2步")
            .Send(OpinionTestData.Paragraph).Expect("第1段")
            .Send("怎么填").Expect("第2步", "完成", $"已收到{OpinionText.Length(OpinionTestData.Paragraph)}字")
            .Send("完成").Expect("第3步")
            .Send("帮助").Expect("选择类别", "跳过", "生态文明")
            .Send("6").Expect("请核对", "类别：其他")
            .Send("帮助").Expect("1确认提交", "请核对", Title)
            .Send("1").Expect("SQMY-2026-0001")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M007"));
        Assert.Equal(OpinionTestData.Paragraph, stored.Content);
    }

    [Fact]
    public async Task ADialogLeftHalfWay_Expires_ItsDraftIsKept_AndContinuesWithJiXu_StoringNothingBeforeTheConfirmation()
    {
        var member = _host.Member("shenjiayi");
        await member.Script().UpToContent(Title, OpinionTestData.Paragraph).RunAsync();

        _host.Time.Advance(TimeSpan.FromMinutes(31));
        var replies = await member.SendAsync("完成");

        Assert.Equal(["您上次的“提交社情民意”超过30分钟没有继续，草稿已为您保留：回复“继续”接着填写，回复“放弃”删除草稿。"], replies);
        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M008"));
        await member.Script()
            .Send("继续").Expect("接着填写“提交社情民意”", "第2步")
            .Send("完成").Expect("第3步")
            .Send("跳过").Expect("请核对")
            .Send("确认提交").Expect("提交成功")
            .RunAsync();
        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M008"));
        Assert.Equal(OpinionTestData.Paragraph, stored.Content);
    }

    [Fact]
    public async Task AnExpiredDraft_IsDeletedWithFangQi()
    {
        var member = _host.Member("shenjiayi");
        await member.Script().UpToContent(Title).RunAsync();
        _host.Time.Advance(TimeSpan.FromHours(3));

        await member.Script()
            .Send("你好").Expect("草稿已为您保留").Expect("沈佳怡您好")
            .Send("放弃").Expect("已删除“提交社情民意”的草稿")
            .Send("继续").Expect("没有未填完的社情民意草稿")
            .Send("我要提交社情民意").Expect("第1步")
            .RunAsync();
    }

    [Fact]
    public async Task ADialogContinuedWithinTheTimeout_DoesNotExpire()
    {
        await _host.Member("shenjiayi").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .RunAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(29));

        await _host.Member("shenjiayi").Script().Send(OpinionTestData.Paragraph).Expect("第1段").RunAsync();
    }

    [Theory]
    [InlineData("😂😂😂！！好", "太短")]
    [InlineData("😂😂😂", "第1步：填写标题")]
    [InlineData("   ", "第1步：填写标题")]
    [InlineData("标题：", "不能为空")]
    [InlineData("停车", "太短")]
    [InlineData("完成", "不能为空")]
    public async Task ABadTitle_IsRefusedWithAReason_AndTheStepIsAskedAgain(string title, string reason)
    {
        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(title).Expect(reason)
            .Send(Title).Expect("第2步", "标题：" + Title)
            .RunAsync();
    }

    [Fact]
    public async Task ATitleOverFiftyCharacters_IsRefused_WithItsLength()
    {
        var title = "关于" + new string('停', 49);

        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(title).Expect("标题有51字", "50字以内")
            .RunAsync();
    }

    [Fact]
    public async Task EmojiAndFullWidthPunctuationAndDigits_AreKeptInTheText_AndUnderstoodInAnswers()
    {
        const string EmojiTitle = "关于小区停车难的建议🚗！";
        const string Content = "小区停车位严重不足😟，晚上消防通道被占用（已多次发生）！建议：１．建立体车库；２．错时共享停车。";

        await _host.Member("chenxiaoyan").Script()
            .Send("我要提交社情民意！").Expect("标题")
            .Send("  标题：" + EmojiTitle + "  ").Expect("标题：" + EmojiTitle)
            .Send(Content).Expect("第1段")
            .Send("完成！").Expect("第3步")
            .Send("５").Expect("类别：生态文明")
            .Send("１").Expect("SQMY-2026-0001")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M002"));
        Assert.Equal(EmojiTitle, stored.Title);
        Assert.Equal(Content, stored.Content);
        Assert.Equal("生态文明", stored.Category);
    }

    [Fact]
    public async Task EmptyAnswers_InContentCategoryAndSummary_ChangeNothing()
    {
        await _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步", "20至3000字")
            .Send("完成").Expect("还没有收到正文")
            .Send(" ").Expect("第2步：填写正文", "目前已收到0字")
            .Send("👍").Expect("第2步：填写正文")
            .Send("太短").Expect("第1段", "目前共2字，正文至少需要20字")
            .Send("完成").Expect("只有2字", "至少20字")
            .Send(OpinionTestData.Paragraph).Expect("第2段")
            .Send("完成").Expect("第3步")
            .Send("").Expect("第3步")
            .Send("7").Expect("没有这个类别")
            .Send("农业").Expect("没有这个类别")
            .Send("跳过").Expect("请核对")
            .Send("  ").Expect("最后一步")
            .Send("嗯嗯嗯").Expect("请回复序号")
            .RunAsync();

        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
    }

    [Fact]
    public async Task LongContent_OfAboutFifteenHundredCharacters_InSeveralMessages_IsAccepted_AndCounted()
    {
        var part = string.Concat(Enumerable.Repeat(OpinionTestData.Paragraph, 5));
        var length = OpinionText.Length(part);

        await _host.Member("zhouwei").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .Send(part).Expect("第1段", $"共{length}字")
            .Send(part).Expect("第2段", $"共{length * 2}字")
            .Send(part).Expect("第3段", $"共{length * 3}字")
            .Send("完成").Expect($"正文已收到，共{length * 3}字")
            .Send("跳过").Expect($"正文（共{length * 3}字）", "……")
            .Send("确认").Expect("SQMY-2026-0001")
            .RunAsync();

        var stored = (await OpinionTestData.OpinionsOfAsync(_host, "M005")).Single(o => o.Id == "SQMY-2026-0001");
        Assert.Equal(string.Join("\n", part, part, part), stored.Content);
    }

    [Fact]
    public async Task AReportSentWholeInOneMessage_KeepsItsTitleAndContent_AndGoesOnFromThere()
    {
        var reply = await _host.Member("zhouwei").SendAsync($"我要提交社情民意，标题：关于电动车充电难的建议，内容：{OpinionTestData.Paragraph}");

        Assert.Contains("标题：关于电动车充电难的建议", reply[0], StringComparison.Ordinal);
        Assert.Contains("已收到第1段", reply[^1], StringComparison.Ordinal);
        await _host.Member("zhouwei").Script()
            .Send("完成").Expect("第3步")
            .Send("跳过").Expect("请核对", "关于电动车充电难的建议")
            .Send("确认").Expect("提交成功")
            .RunAsync();

        var stored = (await OpinionTestData.OpinionsOfAsync(_host, "M005")).Single(o => o.Id == "SQMY-2026-0001");
        Assert.Equal(("关于电动车充电难的建议", OpinionTestData.Paragraph), (stored.Title, stored.Content));
    }

    [Fact]
    public async Task LineBreaksBetweenParagraphs_AreNotCountedAsCharacters_UpToTheLimit()
    {
        var half = new string('长', (SubmitOpinionDialog.ContentMaxLength / 2) - 2) + "\n\r\n字";

        await _host.Member("zhouwei").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .Send(half).Expect("第1段", $"共{(SubmitOpinionDialog.ContentMaxLength / 2) - 1}字")
            .Send(half).Expect("第2段", $"共{SubmitOpinionDialog.ContentMaxLength - 2}字")
            .Send("再补充两字").Expect("超过3000字的上限")
            .Send("两字").Expect("第3段", $"共{SubmitOpinionDialog.ContentMaxLength}字")
            .RunAsync();
    }

    [Fact]
    public async Task ContentOverTheLimit_IsNotTaken_TheMemberIsToldWhy_AndWhatCameBeforeIsKept()
    {
        var tooLong = new string('长', SubmitOpinionDialog.ContentMaxLength + 1);

        await _host.Member("zhouwei").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .Send(OpinionTestData.Paragraph).Expect("第1段")
            .Send(tooLong).Expect("超过3000字的上限", "没有记入")
            .Send("完成").Expect($"共{OpinionText.Length(OpinionTestData.Paragraph)}字")
            .RunAsync();
    }

    [Fact]
    public async Task AReportThatSaysCancelOrHelpInItsText_IsNotTakenForACommand()
    {
        const string Content = "建议取消老旧小区夜间临时停车收费，帮助居民解决停车难问题，同时加强消防通道管理。";

        await _host.Member("wumin").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send(Title).Expect("第2步")
            .Send(Content).Expect("第1段")
            .Send("完成").Expect("第3步")
            .RunAsync();
    }

    [Fact]
    public async Task Staff_WhoAreNotMembers_AreToldReportsAreForMembers_AndNoDialogStarts()
    {
        await _host.Member("lims").Script()
            .Send("我要提交社情民意").Expect("面向区政协委员")
            .Send(Title).Expect("没太明白")
            .RunAsync();
    }
}
