using System.Net;
using System.Net.Sockets;
using System.Text;
using Linping.CppccBot.Channels.WeCom;
using static Linping.CppccBot.Tests.Channels.WeCom.WeComVectors;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// Checks our implementation against Tencent's own <c>@wecom/crypto</c> (run through node): each side must accept
/// what the other produces.
/// </summary>
public sealed class WeComCryptoInteropTests
{
    private const string ChineseMessage = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[报名参加“请你来协商”第42期，谢谢！🙂]]></Content><MsgId>7301234567890123457</MsgId><AgentID>1000002</AgentID></xml>";

    [Fact]
    public async Task Decrypt_RecoversChineseMessage_EncryptedByTencentLibrary()
    {
        var result = await WeComCryptoCheckScript.RunAsync("encrypt", new { token = TokenA, key = KeyA, corpid = CorpIdA, plaintext = ChineseMessage });
        var encrypted = (string)result["encrypt"]!;
        var crypto = new WeComCrypto(TokenA, KeyA, CorpIdA);

        Assert.True(crypto.VerifySignature((string?)result["signature"], (string?)result["timestamp"], (string?)result["nonce"], encrypted));
        var plaintext = crypto.Decrypt(encrypted);
        Assert.Equal(ChineseMessage, plaintext);
        Assert.Equal("报名参加“请你来协商”第42期，谢谢！🙂", WeComXml.ParseMessage(plaintext).Content);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz")]
    [InlineData("政协")]
    public async Task Encrypt_IsByteIdenticalToTencentLibrary_WithTheSamePrefix(string plaintext)
    {
        var result = await WeComCryptoCheckScript.RunAsync(
            "encrypt",
            new { token = TokenA, key = KeyA, corpid = CorpIdA, plaintext, timestamp = "1700000009", nonce = "42", randomHex = Convert.ToHexString(Encoding.ASCII.GetBytes(VPrefix)) });

        var ours = new WeComCrypto(TokenA, KeyA, CorpIdA).Encrypt(plaintext, Encoding.ASCII.GetBytes(VPrefix));

        Assert.Equal((string)result["encrypt"]!, ours);
        Assert.Equal((string)result["signature"]!, WeComCrypto.ComputeSignature(TokenA, "1700000009", "42", ours));
    }

    [Fact]
    public async Task BuildEncryptedReply_IsVerifiedAndDecryptedByTencentLibrary()
    {
        var reply = WeComXml.BuildTextReply("zhangsan", CorpIdA, 1700000005, "已收到：报名 请你来协商 ]]> 完毕");
        var envelope = new WeComCrypto(TokenA, KeyA, CorpIdA).BuildEncryptedReply(reply, "1700000005", "1234567895");

        var result = await WeComCryptoCheckScript.RunAsync("decrypt", new { token = TokenA, key = KeyA, corpid = CorpIdA, envelope });

        Assert.Equal(reply, (string)result["plaintext"]!);
        Assert.Equal(CorpIdA, (string)result["id"]!);
    }

    [Fact]
    public async Task Encrypt_OfLongChineseText_IsDecryptedByTencentLibrary()
    {
        var text = string.Concat(Enumerable.Repeat("委员履职，协商议政。", 300));
        var crypto = new WeComCrypto(TokenA, KeyA, CorpIdA);
        var encrypted = crypto.Encrypt(text);

        var result = await WeComCryptoCheckScript.RunAsync(
            "decrypt",
            new { token = TokenA, key = KeyA, corpid = CorpIdA, encrypt = encrypted, signature = WeComCrypto.ComputeSignature(TokenA, "1", "2", encrypted), timestamp = "1", nonce = "2" });

        Assert.Equal(text, (string)result["plaintext"]!);
    }

    [Fact]
    public async Task TencentLibraryCheck_RejectsATamperedSignature()
    {
        var envelope = new WeComCrypto(TokenA, KeyA, CorpIdA).BuildEncryptedReply("<xml/>", "1700000005", "1")
            .Replace("<TimeStamp>1700000005<", "<TimeStamp>1700000006<", StringComparison.Ordinal);

        var (exitCode, _, stderr) = await WeComCryptoCheckScript.TryRunAsync("decrypt", new { token = TokenA, key = KeyA, corpid = CorpIdA, envelope });

        Assert.Equal(1, exitCode);
        Assert.Contains("signature mismatch", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAndVerifyUrlModes_TalkToAHostUsingOurCrypto()
    {
        // A minimal stand-in for the bot's endpoint, built only from WeComCrypto/WeComXml, to prove the script's
        // post and verify-url modes speak the protocol (the real endpoint gets the same treatment later).
        var crypto = new WeComCrypto(TokenA, KeyA, CorpIdA);
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/wecom/");
        listener.Start();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                try
                {
                    await HandleAsync(crypto, context);
                }
                catch (WeComCryptoException e)
                {
                    // Answer instead of hanging the client; the status carries the library code for the assertion message.
                    context.Response.StatusCode = 500;
                    context.Response.StatusDescription = e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.Close();
                }
            }
        }, TestContext.Current.CancellationToken);

        var url = $"http://127.0.0.1:{port}/wecom/callback";
        var verify = await WeComCryptoCheckScript.RunAsync("verify-url", new { url, token = TokenA, key = KeyA, corpid = CorpIdA });
        var post = await WeComCryptoCheckScript.RunAsync("post", new { url, token = TokenA, key = KeyA, corpid = CorpIdA, fromUser = "zhangsan", text = "查提案 + 12号" });
        await server.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True((bool)verify["ok"]!, verify.ToJsonString());
        Assert.Equal(200, (int)post["status"]!);
        var reply = WeComXml.ParseMessage((string)post["reply"]!);
        Assert.Equal("已收到：查提案 + 12号", reply.Content);
        Assert.Equal("zhangsan", reply.ToUserName);
    }

    private static async Task HandleAsync(WeComCrypto crypto, HttpListenerContext context)
    {
        var query = context.Request.QueryString;
        string body;
        if (context.Request.HttpMethod == "GET")
        {
            body = crypto.VerifyAndDecrypt(query["msg_signature"], query["timestamp"], query["nonce"], query["echostr"]);
        }
        else
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var envelope = WeComXml.ParseEnvelope(await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
            var message = WeComXml.ParseMessage(crypto.VerifyAndDecrypt(query["msg_signature"], query["timestamp"], query["nonce"], envelope.Encrypt));
            var reply = WeComXml.BuildTextReply(message.FromUserName, CorpIdA, message.CreateTime, "已收到：" + message.Content);
            body = crypto.BuildEncryptedReply(reply, query["timestamp"]!, query["nonce"]!);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(bytes, TestContext.Current.CancellationToken);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
