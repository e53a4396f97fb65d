using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// appsettings.example.json lists every setting the code reads, with placeholder values that bind and validate;
/// a malformed setting stops the start with a message that names the key.
/// </summary>
public sealed class SettingsTests
{
    private static readonly (string Section, Type Type)[] OptionSections =
    [
        (BotOptions.SectionName, typeof(BotOptions)),
        (WeComOptions.SectionName, typeof(WeComOptions)),
        (DingTalkOptions.SectionName, typeof(DingTalkOptions)),
        (ConversationOptions.SectionName, typeof(ConversationOptions)),
        (DatabaseOptions.SectionName, typeof(DatabaseOptions)),
        (ReminderOptions.SectionName, typeof(ReminderOptions)),
        (AdminOptions.SectionName, typeof(AdminOptions)),
        (ProxyOptions.SectionName, typeof(ProxyOptions)),
    ];

    /// <summary>Settings read directly from configuration rather than through an options class.</summary>
    private static readonly string[] PlainKeys =
    [
        "ConnectionStrings:Database", "ConnectionStrings:Redis", "Redis:KeyPrefix", DatabaseStartup.SeedPathKey, HostSettings.AllowedHostsKey,
    ];

    private static IConfigurationRoot Example() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(BotHostFactory.RepositoryRoot, "appsettings.example.json"), optional: false)
        .Build();

    private static IEnumerable<string> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

    [Fact]
    public void EveryKeyOfTheExample_IsASettingTheCodeReads()
    {
        var known = OptionSections.SelectMany(s => SettableProperties(s.Type).Select(p => $"{s.Section}:{p}"))
            .Concat(PlainKeys).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // A list or dictionary setting (Reminders:Offsets:0, Reminders:OffsetsByType:X:0) counts as its property.
        var leaves = Example().AsEnumerable().Where(kv => kv.Value is not null)
            .Select(kv => string.Join(':', kv.Key.Split(':').Take(2)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        Assert.NotEmpty(leaves);
        Assert.All(leaves, key => Assert.Contains(key, known));
    }

    [Fact]
    public void EverySettingTheCodeReads_IsInTheExample()
    {
        var example = Example();
        foreach (var (section, type) in OptionSections)
        {
            foreach (var property in SettableProperties(type))
            {
                Assert.True(example.GetSection($"{section}:{property}").Exists(), $"{section}:{property} is missing from appsettings.example.json");
            }
        }

        Assert.All(PlainKeys, key => Assert.NotNull(example[key]));
    }

    [Fact]
    public void TheExample_BindsAndValidates()
    {
        var example = Example();
        foreach (var (section, type) in OptionSections)
        {
            var options = Activator.CreateInstance(type)!;
            example.GetSection(section).Bind(options);
            var results = new List<ValidationResult>();

            var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

            Assert.True(valid, $"{section}: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }

        var wecom = example.GetSection(WeComOptions.SectionName).Get<WeComOptions>()!;
        Assert.True(wecom.CanSend);
        _ = new WeComCrypto(wecom.Token!, wecom.EncodingAESKey!, wecom.CorpId!);
    }

    [Theory]
    [InlineData("WeCom:EncodingAESKey", "tooshort", "WeCom:EncodingAESKey")]
    [InlineData("WeCom:Token", "has spaces and is far too long for a token", "WeCom:Token")]
    [InlineData("WeCom:ApiBaseUrl", "/relative", "WeCom:ApiBaseUrl")]
    [InlineData("Bot:TimeZone", "Mars/Olympus", "Bot:TimeZone")]
    [InlineData("DingTalk:ClientId", "dingonlyclientid", "DingTalk:ClientSecret")]
    [InlineData("DingTalk:Mode", "Webhook", "DingTalk:Mode")]
    [InlineData("DingTalk:ApiBaseUrl", "/relative", "DingTalk:ApiBaseUrl")]
    [InlineData("Conversations:DialogTimeout", "00:00:01", "DialogTimeout")]
    [InlineData("Reminders:Offsets:0", "-01:00:00", "Reminders:Offsets")]
    [InlineData("Reminders:Schedule", "every minute", "Reminders:Schedule")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.example", "ForwardedHeaders:KnownProxies:0")]
    [InlineData("Reminders:Schedule", "99 * * * *", "Reminders:Schedule")]
    [InlineData("Reminders:Schedule", "*/0 * * * *", "Reminders:Schedule")]
    [InlineData("WeCom:PassiveReplyBudget", "00:00:09", "WeCom:PassiveReplyBudget must be between 00:00:00.100 and 00:00:04")]
    [InlineData("Bot:SupportContact", "", "Bot:SupportContact must not be empty")]
    [InlineData("Redis:KeyPrefix", "", "Redis:KeyPrefix must not be empty")]
    [InlineData("Redis:KeyPrefix", "  ", "Redis:KeyPrefix must not be empty")]
    [InlineData("Reminders:ProposalNewsWindow", "00:00:10", "Reminders:ProposalNewsWindow")]
    [InlineData("Reminders:EvaluationReminderAfter", "400.00:00:00", "Reminders:EvaluationReminderAfter")]
    [InlineData("Admin:ApiKey", "short", "Admin:ApiKey")]
    [InlineData("Admin:StaffPassword", "short-pw", "Admin:StaffPassword")]
    [InlineData("Admin:ConsoleKeyCertificate", "/nonexistent/console-keys.pfx", "Admin:ConsoleKeyCertificate")]
    [InlineData("Reminders:Offsets:0", "abc", "Reminders:Offsets:0: 'abc' is not a time span")]
    [InlineData("Reminders:Offsets", "02:00:00", "Reminders:Offsets is a list")]
    [InlineData("Reminders:Offset", "02:00:00", "Reminders:Offset is not a setting")]
    [InlineData("Reminders:OffsetsByType:Plenary:0", "02:00:00", "Reminders:OffsetsByType:Plenary is not a setting")]
    [InlineData("Reminders:OffsetsByType:PlenarySession:x", "02:00:00", "Reminders:OffsetsByType:PlenarySession:x is not a setting")]
    [InlineData("WeCom:CorpSecret", "a-secret", "WeCom:CorpSecret is not a setting")]
    [InlineData("WeCom:AgentId", "x1", "WeCom:AgentId")]
    [InlineData("AllowedHosts", "bot.example.gov.cn:443", "AllowedHosts: 'bot.example.gov.cn:443' is not a host name")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("Database:MigrateOnStart", "sometimes", "Database:MigrateOnStart")]
    [InlineData("ConnectionStrings:Database", "Data Sourc=bot.db", "ConnectionStrings:Database is not a valid Sqlite connection string")]
    [InlineData("ConnectionStrings:Redis", "localhost:6379,nosuchoption=1", "ConnectionStrings:Redis is not a valid StackExchange.Redis configuration")]
    public void MalformedSetting_StopsTheStart_NamingTheKey(string key, string value, string named)
    {
        using var host = new BotHostFactory();
        host.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialWeComSettings_StopTheStart_NamingTheMissingKey()
    {
        using var host = new BotHostFactory();
        host.Settings["WeCom:Token"] = string.Empty;

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("WeCom:Token is missing", string.Join(" | ", Flatten(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }

            if (e is OptionsValidationException validation)
            {
                foreach (var failure in validation.Failures)
                {
                    yield return new InvalidOperationException(failure);
                }
            }
        }
    }
}
