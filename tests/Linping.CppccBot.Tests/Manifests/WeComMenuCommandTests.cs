using System.Text.Json.Nodes;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Manifests;

/// <summary><c>wecom-menu apply [FILE]</c> against the fake WeCom, which checks menus as <c>menu/create</c> does.</summary>
public sealed class WeComMenuCommandTests : IAsyncLifetime
{
    private static readonly string MenuPath = Path.Combine(BotHostFactory.RepositoryRoot, "bot-manifests", "wecom", "menu.json");
    private readonly List<string> _files = [];
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;

    public async ValueTask InitializeAsync()
    {
        _host = new BotHostFactory();
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, TimeProvider = _host.Time },
            TestContext.Current.CancellationToken);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(string? path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await WeComMenuCommand.RunAsync(_host.Services, path, output, error, TestContext.Current.CancellationToken);
        var result = (exit, output.ToString(), error.ToString());
        Assert.DoesNotContain(BotHostFactory.Secret, result.Item2 + result.Item3, StringComparison.Ordinal);
        return result;
    }

    private string MenuFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wecom-menu-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        _files.Add(path);
        return path;
    }

    [Fact]
    public async Task Apply_SendsTheManifestsMenu_ToTheConfiguredApp()
    {
        var (exit, output, error) = await RunAsync(null);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("WeCom accepted the menu", output, StringComparison.Ordinal);
        var menu = Assert.Single(_wecom.Menus);
        Assert.Equal(BotHostFactory.AgentId, menu.AgentId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(MenuPath)), JsonNode.Parse(menu.Json)), menu.Json);
    }

    [Fact]
    public async Task Apply_WithAPath_SendsThatFile_AndARevokedTokenIsRefreshedOnce()
    {
        Assert.Equal(0, (await RunAsync(MenuPath)).Exit);
        _wecom.RevokeAllTokens();
        var file = MenuFile("""{ "button": [ { "type": "click", "name": "帮助", "key": "HELP" } ] }""");

        var (exit, _, error) = await RunAsync(file);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        Assert.Equal(2, _wecom.Menus.Count);
        Assert.Equal("HELP", JsonNode.Parse(_wecom.Menus[1].Json)!["button"]![0]!["key"]!.GetValue<string>());
        Assert.Equal(2, _wecom.GetTokenRequests);
    }

    public static TheoryData<string, int> RefusedMenus => new()
    {
        { """{ "button": [ { "type": "click", "name": "一", "key": "A" }, { "type": "click", "name": "二", "key": "B" }, { "type": "click", "name": "三", "key": "C" }, { "type": "click", "name": "四", "key": "D" } ] }""", 40016 },
        { """{ "button": [ { "type": "click", "name": "会议活动安排一览", "key": "A" } ] }""", 40018 },
        { """{ "button": [ { "type": "tap", "name": "会议", "key": "A" } ] }""", 40017 },
        { """{ "button": [ { "name": "会议", "sub_button": [ { "type": "click", "name": "1", "key": "1" }, { "type": "click", "name": "2", "key": "2" }, { "type": "click", "name": "3", "key": "3" }, { "type": "click", "name": "4", "key": "4" }, { "type": "click", "name": "5", "key": "5" }, { "type": "click", "name": "6", "key": "6" } ] } ] }""", 40023 },
        { """{ "button": [ { "name": "会议", "sub_button": [ { "type": "click", "name": "近期会议", "key": "" } ] } ] }""", 40026 },
        { """{ "button": [ { "name": "会议", "sub_button": [ { "type": "click", "name": "这是一个远远超过四十个字节限制的二级菜单名称", "key": "A" } ] } ] }""", 40025 },
        { """{ "button": [ { "name": "会议", "sub_button": [ { "type": "view", "name": "网页", "key": "A" } ] } ] }""", 40027 },
    };

    [Theory]
    [MemberData(nameof(RefusedMenus))]
    public async Task AMenuWeComRefuses_FailsNamingTheErrcode_AndNothingIsSet(string json, int errCode)
    {
        var (exit, _, error) = await RunAsync(MenuFile(json));

        Assert.Equal(1, exit);
        Assert.Contains($"errcode {errCode}", error, StringComparison.Ordinal);
        Assert.Empty(_wecom.Menus);
    }

    [Fact]
    public async Task AMissingFileOrANonMenu_FailsClearly_WithoutCallingWeCom()
    {
        var missing = await RunAsync("no-such-menu.json");
        var notAMenu = await RunAsync(MenuFile("""{ "menu": [] }"""));
        var notJson = await RunAsync(MenuFile("{ button: "));

        Assert.Equal((1, "wecom-menu: the file 'no-such-menu.json' was not found."), (missing.Exit, missing.Error.Trim()));
        Assert.Equal(1, notAMenu.Exit);
        Assert.Contains("is not a WeCom menu", notAMenu.Error, StringComparison.Ordinal);
        Assert.Equal(1, notJson.Exit);
        Assert.Contains("is not valid JSON", notJson.Error, StringComparison.Ordinal);
        Assert.Equal(0, _wecom.GetTokenRequests);
    }

    [Fact]
    public async Task AWrongAgentId_IsNamed()
    {
        _host.Settings["WeCom:AgentId"] = "1000099";

        var (exit, _, error) = await RunAsync(null);

        Assert.Equal(1, exit);
        Assert.Contains("errcode 40056", error, StringComparison.Ordinal);
        Assert.Contains("WeCom:AgentId", error, StringComparison.Ordinal);
        Assert.Empty(_wecom.Menus);
    }
}
