using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>The roster's 首选应用 (<c>preferredApp</c>) in the import format.</summary>
public sealed class PreferredAppImportTests
{
    [Theory]
    [InlineData("\"DingTalk\"", MessagingApp.DingTalk)]
    [InlineData("\"钉钉\"", MessagingApp.DingTalk)]
    [InlineData("\"企业微信\"", MessagingApp.WeCom)]
    [InlineData("\"WeCom\"", MessagingApp.WeCom)]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public async Task The_preferred_app_is_imported_by_name_or_Chinese_label(string value, MessagingApp? expected)
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await database.ImportAsync($$"""{ "members": [ { "id": "M100", "name": "新委员", "wecomUserId": "u100", "dingtalkUserId": "dt-u100", "preferredApp": {{value}} } ] }""");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        await using var db = database.NewContext();
        Assert.Equal(expected, (await db.Members.SingleAsync(m => m.Id == "M100", TestContext.Current.CancellationToken)).PreferredApp);
    }

    [Fact]
    public async Task An_unknown_preferred_app_is_rejected_naming_the_field_and_nothing_changes()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await database.ImportAsync("""{ "members": [ { "id": "M100", "name": "新委员", "wecomUserId": "u100", "preferredApp": "短信" } ] }""");

        Assert.StartsWith("members[0] (M100).preferredApp: 未知的取值“短信”", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
        await using var db = database.NewContext();
        Assert.Equal(0, await db.Members.CountAsync(TestContext.Current.CancellationToken));
    }
}
