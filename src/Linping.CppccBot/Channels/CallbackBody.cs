using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Linping.CppccBot.Channels;

/// <summary>Reads the body of a platform's callback as UTF-8 text, refusing bodies over a limit.</summary>
public static class CallbackBody
{
    private const int FirstBufferBytes = 4096;

    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/> or the request broke off.</returns>
    public static async Task<string?> ReadUtf8Async(HttpContext http, int maxBytes)
    {
        var declared = http.Request.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        // One byte over the declared length, so the end of the body is seen without growing the buffer.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, (declared ?? FirstBufferBytes) + 1));
        try
        {
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await http.Request.Body.ReadAsync(buffer.AsMemory(total), http.RequestAborted);
                if (read == 0)
                {
                    return Encoding.UTF8.GetString(buffer, 0, total);
                }

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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
