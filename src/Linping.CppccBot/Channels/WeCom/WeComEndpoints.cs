using System.Text;
using Microsoft.AspNetCore.Http.Features;
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
            var body = await ReadBodyAsync(http, options.Value.MaxBodyBytes);
            return body is null
                ? Results.Text("payload too large", "text/plain", Encoding.UTF8, StatusCodes.Status413PayloadTooLarge)
                : await handler.ReceiveAsync(signature, timestamp, nonce, body, http.RequestAborted);
        });

        return app;
    }

    /// <summary>Reads the body as UTF-8, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpContext http, int maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return null;
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        var buffer = new byte[maxBytes + 1];
        var total = 0;
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(total), http.RequestAborted)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
