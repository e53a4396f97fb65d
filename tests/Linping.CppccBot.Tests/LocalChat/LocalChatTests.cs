using System.Net;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat;
using Linping.CppccBot.LocalChat.Chat;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.LocalChat;

/// <summary>
/// The local chat against the real host over real HTTP: what a newcomer sees after the two <c>dotnet run</c>s of the
/// README, through the encrypted WeCom callback path both ways, and through DingTalk's signed robot callback with the
/// replies coming back to the chat's own session webhooks.
/// </summary>
public sealed class LocalChatTests(LocalChatHost host) : IClassFixture<LocalChatHost>
{
    private const string NotOnRoster = "暂未查到您的委员信息";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void DevelopmentSettings_AreTheLocalChatDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(BotHostFactory.RepositoryRoot, "src", "Linping.CppccBot", "appsettings.Development.json"))
            .Build();
        var weCom = configuration.GetSection(WeComOptions.SectionName).Get<WeComOptions>()!;

        Assert.Equal(LocalChatDefaults.CorpId, weCom.CorpId);
        Assert.Equal(LocalChatDefaults.AgentId, weCom.AgentId);
        Assert.Equal(LocalChatDefaults.Secret, weCom.Secret);
        Assert.Equal(LocalChatDefaults.Token, weCom.Token);
        Assert.Equal(LocalChatDefaults.EncodingAesKey, weCom.EncodingAESKey);
        Assert.Equal(new Uri(LocalChatDefaults.ApiBaseUrl), weCom.ApiBaseUrl);
        Assert.Equal(LocalChatDefaults.FakeApiPort, weCom.ApiBaseUrl.Port);
        Assert.Empty(weCom.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(weCom)));
        Assert.True(weCom.CanSend);

        // The key must be one WeComCrypto (and so WeCom's own libraries) accepts: 43 characters decoding to 32 bytes.
        _ = new WeComCrypto(LocalChatDefaults.Token, LocalChatDefaults.EncodingAesKey, LocalChatDefaults.CorpId);

        var fake = new FakeWeComOptions();
        Assert.Equal(LocalChatDefaults.CorpId, fake.CorpId);
        Assert.Equal(LocalChatDefaults.Secret, fake.Secret);
        Assert.Equal(LocalChatDefaults.AgentId, fake.AgentId);
        Assert.Equal(WeComAppSettings.LocalDefaults, new LocalChatOptions().App);

        var dingTalk = configuration.GetSection(DingTalkOptions.SectionName).Get<DingTalkOptions>()!;
        Assert.Equal(LocalChatDefaults.DingTalkClientId, dingTalk.ClientId);
        Assert.Equal(LocalChatDefaults.DingTalkClientSecret, dingTalk.ClientSecret);
        Assert.Equal(DingTalkMode.Http, dingTalk.Mode);
        Assert.Equal(new Uri(LocalChatDefaults.DingTalkApiBaseUrl), dingTalk.ApiBaseUrl);
        Assert.Equal(new Uri(LocalChatDefaults.DingTalkApiBaseUrl), dingTalk.OapiBaseUrl);
        Assert.Equal(LocalChatDefaults.FakeDingTalkPort, dingTalk.OapiBaseUrl.Port);
        Assert.Empty(dingTalk.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(dingTalk)));
        Assert.True(dingTalk.IsEnabled);

        var fakeDingTalk = new FakeDingTalkOptions();
        Assert.Equal(LocalChatDefaults.DingTalkClientId, fakeDingTalk.ClientId);
        Assert.Equal(LocalChatDefaults.DingTalkClientSecret, fakeDingTalk.ClientSecret);
        var dingTalkChat = LocalChatOptions.Parse(["--channel", "dingtalk"], out _)!;
        Assert.Equal(DingTalkAppSettings.LocalDefaults, dingTalkChat.DingTalkApp);
        Assert.Equal((LocalChatDefaults.DingTalkUser, LocalChatDefaults.FakeDingTalkPort), (dingTalkChat.User, dingTalkChat.FakeApiPort));
    }

    [Fact]
    public async Task Help_AsAMember_GetsTheWelcomeAsAnEncryptedPassiveReply()
    {
        using var http = new HttpClient();
        var simulator = new WeComCallbackSimulator(http, host.Address, WeComAppSettings.LocalDefaults);

        var outcome = await simulator.SendTextAsync("wangjianguo", "帮助", Ct);

        Assert.Equal(CallbackOutcomeKind.PassiveReply, outcome.Kind);
        Assert.Contains("王建国", outcome.ReplyText, StringComparison.Ordinal);
        Assert.Contains("会议", outcome.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_IsToldSo()
    {
        using var http = new HttpClient();
        var simulator = new WeComCallbackSimulator(http, host.Address, WeComAppSettings.LocalDefaults);

        var outcome = await simulator.SendTextAsync("not-on-the-roster", "帮助", Ct);

        Assert.Equal(CallbackOutcomeKind.PassiveReply, outcome.Kind);
        Assert.Contains(NotOnRoster, outcome.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAgent_GreetsTheMember()
    {
        using var http = new HttpClient();
        var simulator = new WeComCallbackSimulator(http, host.Address, WeComAppSettings.LocalDefaults);

        var outcome = await simulator.SendEventAsync("chenxiaoyan", "enter_agent", string.Empty, Ct);

        Assert.Equal(CallbackOutcomeKind.PassiveReply, outcome.Kind);
        Assert.Contains("您好，我是临平区政协委员履职助手", outcome.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MenuClick_AndImage_GetAnswers()
    {
        using var http = new HttpClient();
        var simulator = new WeComCallbackSimulator(http, host.Address, WeComAppSettings.LocalDefaults);

        var click = await simulator.SendEventAsync("liuzhiqiang", "click", "HELP", Ct);
        var image = await simulator.SendImageAsync("liuzhiqiang", Ct);

        Assert.Equal(CallbackOutcomeKind.PassiveReply, click.Kind);
        Assert.Contains("会议", click.ReplyText, StringComparison.Ordinal);
        Assert.Equal(CallbackOutcomeKind.PassiveReply, image.Kind);
        Assert.Contains("文字", image.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongToken_IsRefused()
    {
        using var http = new HttpClient();
        var simulator = new WeComCallbackSimulator(http, host.Address, WeComAppSettings.LocalDefaults with { Token = "NotTheBotsToken" });

        var outcome = await simulator.SendTextAsync("wangjianguo", "帮助", Ct);

        Assert.Equal(CallbackOutcomeKind.Refused, outcome.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, outcome.StatusCode);
    }

    [Fact]
    public async Task TheChat_WithPipedInput_ShowsPassiveRepliesAndActiveSends_AndEndsAtEndOfInput()
    {
        var slowUser = LocalChatHost.SlowUserPrefix + "stranger";
        using var input = new StringReader($"帮助\n/user {slowUser}\n你好\n");
        using var output = new StringWriter();
        string[] args = ["--host", host.Address.ToString(), "--fake-api-port", host.FakeApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var exitCode = await LocalChatApp.RunAsync(args, input, output, Ct);

        var transcript = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("wangjianguo> 帮助", transcript, StringComparison.Ordinal);
        Assert.Contains("助手> 王建国您好", transcript, StringComparison.Ordinal);
        Assert.Contains($"{slowUser}> 你好", transcript, StringComparison.Ordinal);
        Assert.Contains("(empty reply: an answer, if any, comes as an active send)", transcript, StringComparison.Ordinal);
        Assert.Contains("助手（主动发送）> 您好！本助手只为", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDingTalkChat_ShowsTheRepliesToItsSessionWebhooks_AndInAGroupTheMentionOfTheAsker()
    {
        using var input = new StringReader("帮助\n/group\n最近有什么会议\n/private\n/user dt-stranger\n你好\n");
        using var output = new StringWriter();
        string[] args = ["--channel", "dingtalk", "--host", host.Address.ToString(), "--fake-api-port", host.FakeDingTalkPort.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var exitCode = await LocalChatApp.RunAsync(args, input, output, Ct);

        var transcript = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("dt-wangjianguo> 帮助\n助手> 王建国您好", transcript, StringComparison.Ordinal);
        Assert.Contains("dt-wangjianguo（群 cidLocalChatGroup=）> 最近有什么会议\n助手> @dt-wangjianguo 近期会议活动", transcript, StringComparison.Ordinal);
        Assert.Contains("dt-stranger> 你好\n助手> 您好！本助手只为", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("no reply within", transcript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wecom", "群机器人 demo-wecom-robot-key> 【会议提醒】本地群提醒测试会", "WeCom")]
    [InlineData("dingtalk", "群机器人 demo-dingtalk-token> 【会议提醒】本地群提醒测试会", "DingTalk")]
    public async Task AGroupReminder_ToTheDemoGroupsRobot_ShowsInTheChat_AndIsRecordedSent(string channel, string expected, string chat)
    {
        // While the chat runs, a meeting of the demo group G-ALL comes within its 2-hour reminder and the job runs.
        var meetingId = "MT-LOCAL-" + channel.ToUpperInvariant();
        var port = channel == "wecom" ? host.FakeApiPort : host.FakeDingTalkPort;
        using var input = new ThenReader("帮助\n", () => RemindGroupAsync(meetingId, chat));
        using var output = new StringWriter();
        string[] args = ["--channel", channel, "--host", host.Address.ToString(), "--fake-api-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var exitCode = await LocalChatApp.RunAsync(args, input, output, Ct);

        Assert.Equal(0, exitCode);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        var row = await host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().SingleAsync(r => r.MeetingId == meetingId && r.Chat == chat, Ct));
        Assert.Equal(ReminderDeliveryStatus.Sent, row.Status);
    }

    /// <summary>Adds a meeting of G-ALL starting in 1 hour 50 minutes and runs the reminders until its group chat is settled.</summary>
    private async Task RemindGroupAsync(string meetingId, string chat)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(110);
        await host.DbAsync(db =>
        {
            db.Meetings.Add(new Meeting
            {
                Id = meetingId,
                Title = "本地群提醒测试会",
                Type = MeetingType.Research,
                Location = "区政协四楼会议室",
                StartsAt = start,
                EndsAt = start.AddHours(2),
                Participation = ParticipationMode.OpenSignup,
                Groups = [new MeetingGroup { MeetingId = meetingId, GroupId = "G-ALL" }],
            });
            return db.SaveChangesAsync(Ct);
        });

        // The host's own minute job may take the row first: then wait for it to settle.
        for (var i = 0; i < 50; i++)
        {
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(Ct);
            }

            if (await host.DbAsync(db => db.ReminderDeliveries.AnyAsync(r => r.MeetingId == meetingId && r.Chat == chat && r.Status != ReminderDeliveryStatus.Pending, Ct)))
            {
                return;
            }

            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Input that, at its end, first runs <paramref name="atEnd"/> (while the chat and its fake still run).</summary>
    private sealed class ThenReader(string text, Func<Task> atEnd) : StringReader(text)
    {
        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = await base.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                await atEnd();
            }

            return line;
        }
    }

    [Fact]
    public async Task TheDingTalkChat_WithAnotherSecret_IsRefused_AndSaysWhatToCheck()
    {
        using var input = new StringReader("帮助\n");
        using var output = new StringWriter();
        string[] args = ["--channel", "dingtalk", "--host", host.Address.ToString(), "--fake-api-port", host.FakeDingTalkPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--client-secret", "not-the-bots-secret"];

        var exitCode = await LocalChatApp.RunAsync(args, input, output, Ct);

        var transcript = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.Contains("HTTP 403", transcript, StringComparison.Ordinal);
        Assert.Contains("--client-secret", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("助手>", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChat_WithoutABot_SaysHowToStartIt()
    {
        using var input = new StringReader("帮助\n");
        using var output = new StringWriter();

        var exitCode = await LocalChatApp.RunAsync(["--host", "http://127.0.0.1:9", "--fake-api-port", "0"], input, output, Ct);

        Assert.Equal(0, exitCode);
        Assert.Contains("dotnet run --project src/Linping.CppccBot", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fake-api-port", "x")]
    [InlineData("--agent-id", "0")]
    [InlineData("--colour", "on")]
    [InlineData("--user")]
    [InlineData("--channel", "qq")]
    [InlineData("--channel", "dingtalk", "--fake-api-port", "0")]
    public async Task BadArguments_ExitWithUsage(params string[] args)
    {
        using var output = new StringWriter();

        var exitCode = await LocalChatApp.RunAsync(args, TextReader.Null, output, Ct);

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: LocalChat", output.ToString(), StringComparison.Ordinal);
    }
}
