using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

public static class WeComEndpoints
{
    /// <summary>Maps <c>GET</c> and <c>POST /wecom/callback</c>.</summary>
    public static IEndpointRouteBuilder MapWeComCallback(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/wecom/callback").ExcludeFromDescription();

        group.MapGet(string.Empty, (
            [FromQuery(Name = "msg_signature")] string? signature,
            [FromQuery(Name = "timestamp")] string? timestamp,
            [FromQuery(Name = "nonce")] string? nonce,
            [FromQuery(Name = "echostr")] string? echo,
            WeComCallbackHandler handler) => handler.VerifyUrl(signature, timestamp, nonce, echo));

        group.MapPost(string.Empty, async (
            [FromQuery(Name = "msg_signature")] string? signature,
            [FromQuery(Name = "timestamp")] string? timestamp,
            [FromQuery(Name = "nonce")] string? nonce,
            HttpContext http,
            WeComCallbackHandler handler,
            IOptions<WeComOptions> options) =>
        {
            var body = await CallbackBody.ReadUtf8Async(http, options.Value.MaxBodyBytes);
            return body is null
                ? Results.Text("payload too large", "text/plain", Encoding.UTF8, StatusCodes.Status413PayloadTooLarge)
                : await handler.ReceiveAsync(signature, timestamp, nonce, body, http.RequestAborted);
        });

        return app;
    }
}
