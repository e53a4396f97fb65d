using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>What the host's database holds about 社情民意, read in a scope of its own, and a report text of a real length.</summary>
internal static class OpinionTestData
{
    /// <summary>A paragraph of about 120 characters, as members write them; repeat it for longer reports.</summary>
    public const string Paragraph =
        "我所在的社区是上世纪九十年代建成的老旧小区，现有住户六百余户，而规划停车位不足一百个。每天晚上七点以后，小区主干道两侧停满车辆，消防通道经常被占用，救护车曾因此无法及时进入，居民反映强烈。";

    public static async Task<List<Opinion>> OpinionsOfAsync(BotHostFactory host, string memberId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        return await db.Opinions.AsNoTracking().Include(o => o.History)
            .Where(o => o.SubmittedById == memberId)
            .OrderBy(o => o.Id)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<int> OpinionCountAsync(BotHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().Opinions.CountAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<List<StateChange>> StateChangesOfAsync(BotHostFactory host, string trackingNumber)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.Opinion && c.EntityId == trackingNumber)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs a whole report up to the summary: title, the content messages, "完成", category.</summary>
    public static BotScript UpToSummary(this BotScript script, string title, string category, params string[] content) =>
        script.UpToContent(title, content).Send("完成").Expect("第3步").Send(category).Expect("请核对", title);

    /// <summary>Starts a report and sends its title and <paramref name="content"/>; the dialog then waits for more content.</summary>
    public static BotScript UpToContent(this BotScript script, string title, params string[] content)
    {
        script.Send("我要提交社情民意").Expect("标题", "涉密").Send(title).Expect("正文");
        for (var i = 0; i < content.Length; i++)
        {
            script.Send(content[i]).Expect($"第{i + 1}段");
        }

        return script;
    }
}
