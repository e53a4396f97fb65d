using System.Net;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// Every odd text of <see cref="TextPayloads"/> in every dialog step, through signed WeCom callbacks: a 200 with a polite
/// Chinese answer (passive, or sent actively when long), nothing stored that the step would not store, no text in the logs.
/// </summary>
public sealed class WeComTextCorpusTests(HttpCorpusHost corpus) : IClassFixture<HttpCorpusHost>
{
    /// <summary>The steps: who speaks, what comes before the odd text, and what follows it.</summary>
    private static readonly Dictionary<string, (string User, string[] Before)> Steps = new(StringComparer.Ordinal)
    {
        ["free-chat"] = ("zhouwei", []),
        ["opinion-title"] = ("chenxiaoyan", ["我要提交社情民意"]),
        ["opinion-content"] = ("liuzhiqiang", ["我要提交社情民意", "关于老旧小区停车难的建议"]),
        ["leave-note"] = ("wangjianguo", ["常委会请假", "1"]),
        ["proposal-search"] = ("xuhaitao", []),
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var step in Steps.Keys)
            {
                foreach (var payload in TextPayloads.Names)
                {
                    data.Add(step, payload);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnOddText_InEveryStep_GetsAPoliteAnswer(string step, string payload)
    {
        corpus.RequireServer();
        var (user, before) = Steps[step];
        var text = TextPayloads.All[payload];
        if (step == "proposal-search")
        {
            text = "搜索提案 " + text;
        }

        var snapshot = await corpus.SnapshotAsync();
        var meetingVersion = await corpus.Host.DbAsync(db => db.Meetings.Where(m => m.Id == "MT-2027-03").Select(m => m.Version).SingleAsync());
        foreach (var line in before)
        {
            AssertPolite(await SayAsync(user, line));
        }

        var mark = corpus.Logs.Lines.Count;
        var reply = await SayAsync(user, text);
        AssertPolite(reply);
        await SayAsync(user, "取消");

        if (step == "leave-note")
        {
            // The note is the last step: the request is stored, with the note as text. Undo it for the next case.
            var stored = await corpus.Host.DbAsync(db => db.Participations.AsNoTracking().SingleOrDefaultAsync(p => p.MeetingId == "MT-2027-03" && p.MemberId == "M001"));
            if (stored is not null)
            {
                Assert.Equal(ParticipationStatus.LeavePending, stored.Status);
                Assert.DoesNotContain(stored.LeaveNote ?? string.Empty, reply, StringComparison.Ordinal);
                await corpus.Host.DbAsync(async db =>
                {
                    await db.Participations.Where(p => p.MeetingId == "MT-2027-03" && p.MemberId == "M001").ExecuteDeleteAsync();
                    // A leave request moves the meeting's version on (it races staff changes as a sign-up does).
                    await db.Meetings.Where(m => m.Id == "MT-2027-03").ExecuteUpdateAsync(u => u.SetProperty(m => m.Version, meetingVersion));
                    return await db.StateChanges.Where(c => c.EntityId == "MT-2027-03/M001").ExecuteDeleteAsync();
                });
            }
        }

        Assert.Equal(snapshot.Tables, (await corpus.SnapshotAsync()).Tables);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, [user, "13800001111", "330110196001011234", .. TextPayloads.Distinctive(TextPayloads.All[payload])]);
    }

    /// <summary>Sends a text and returns the answer: the passive reply, or what was sent actively when it was too long for one.</summary>
    private async Task<string> SayAsync(string user, string text)
    {
        var sentBefore = corpus.WeCom.Messages.Count;
        var answer = await corpus.Sender.SendTextAsync(user, text);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        CorpusHost.AssertAnswerClean(answer.Body);
        if (answer.Reply is not null)
        {
            return answer.ReplyText;
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!corpus.WeCom.Messages.Skip(sentBefore).Any(m => m.Recipients.Contains(user)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // Let the remaining parts of a long answer arrive.
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var sent = corpus.WeCom.Messages.Skip(sentBefore).Where(m => m.Recipients.Contains(user)).Select(m => m.Content).ToList();
        Assert.NotEmpty(sent);
        return string.Join("\n", sent);
    }

    private static void AssertPolite(string reply) => WeComBadInputCorpusTests.AssertPolite(reply);
}
