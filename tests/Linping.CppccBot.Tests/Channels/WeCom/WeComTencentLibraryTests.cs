using System.Globalization;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// Tencent's own <c>@wecom/crypto</c> plays WeCom's side against the running host over real HTTP on loopback:
/// a check of the whole callback path that no one here wrote.
/// </summary>
public sealed class WeComTencentLibraryTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    private string StartOnLoopback()
    {
        _host.UseKestrel(0);
        _host.StartServer();
        return _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlVerification_ByTencentsLibrary_Succeeds()
    {
        WeComCryptoCheckScript.SkipUnlessNodeIsAvailable();
        var baseUrl = StartOnLoopback();

        var result = await WeComCryptoCheckScript.RunAsync("verify-url", new
        {
            url = baseUrl + "/wecom/callback",
            token = BotHostFactory.Token,
            key = BotHostFactory.EncodingAesKey,
            corpid = BotHostFactory.CorpId,
            timestamp = _host.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });

        Assert.Equal(200, (int)result["status"]!);
        Assert.True((bool)result["ok"]!);
    }

    [Fact]
    public async Task TextMessage_EncryptedByTencentsLibrary_IsAnswered_AndTheReplyVerifiesWithIt()
    {
        WeComCryptoCheckScript.SkipUnlessNodeIsAvailable();
        var baseUrl = StartOnLoopback();
        var now = _host.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var result = await WeComCryptoCheckScript.RunAsync("post", new
        {
            url = baseUrl + "/wecom/callback",
            token = BotHostFactory.Token,
            key = BotHostFactory.EncodingAesKey,
            corpid = BotHostFactory.CorpId,
            fromUser = "wangjianguo",
            text = "帮助",
            createTime = now,
            timestamp = now,
        });

        Assert.Equal(200, (int)result["status"]!);
        var reply = WeComXml.ParseMessage((string)result["reply"]!);
        Assert.Equal("wangjianguo", reply.ToUserName);
        Assert.Contains("王建国", reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageSignedWithAnotherToken_ByTencentsLibrary_IsRefused()
    {
        WeComCryptoCheckScript.SkipUnlessNodeIsAvailable();
        var baseUrl = StartOnLoopback();
        var now = _host.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var result = await WeComCryptoCheckScript.RunAsync("post", new
        {
            url = baseUrl + "/wecom/callback",
            token = "AnotherToken",
            key = BotHostFactory.EncodingAesKey,
            corpid = BotHostFactory.CorpId,
            fromUser = "wangjianguo",
            text = "帮助",
            createTime = now,
            timestamp = now,
        });

        Assert.Equal(403, (int)result["status"]!);
    }
}
