using System.Text.Json;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Manifests;

/// <summary>The app menu an administrator applies (bot-manifests/wecom/menu.json) and the keys the bot understands stay in step.</summary>
public sealed class WeComMenuManifestTests
{
    private static readonly string MenuPath = Path.Combine(BotHostFactory.RepositoryRoot, "bot-manifests", "wecom", "menu.json");

    [Fact]
    public void EveryMenuKey_IsUnderstood_AndEveryKnownKeyIsInTheMenu()
    {
        var keys = ReadClickKeys();

        Assert.Equal(MenuKeys.Intents.Keys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.All(keys, key => Assert.NotEqual(IntentNames.None, MenuKeys.ToIntent(key).Name));
    }

    [Fact]
    public void Menu_KeepsWithinWeComLimits()
    {
        using var menu = JsonDocument.Parse(File.ReadAllText(MenuPath));
        var buttons = menu.RootElement.GetProperty("button").EnumerateArray().ToList();

        // menu/create: at most 3 top-level buttons of at most 4 Chinese characters (16 bytes),
        // each with at most 5 sub-buttons of at most 14 characters (40 bytes).
        Assert.InRange(buttons.Count, 1, 3);
        foreach (var button in buttons)
        {
            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(button.GetProperty("name").GetString()!), 1, 16);
            var subs = button.GetProperty("sub_button").EnumerateArray().ToList();
            Assert.InRange(subs.Count, 1, 5);
            Assert.All(subs, s => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(s.GetProperty("name").GetString()!), 1, 40));
        }
    }

    private static List<string> ReadClickKeys()
    {
        using var menu = JsonDocument.Parse(File.ReadAllText(MenuPath));
        return [.. menu.RootElement.GetProperty("button").EnumerateArray()
            .SelectMany(b => b.GetProperty("sub_button").EnumerateArray())
            .Where(s => s.GetProperty("type").GetString() == "click")
            .Select(s => s.GetProperty("key").GetString()!)];
    }
}
