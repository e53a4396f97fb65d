using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>
/// An upload to POST /api/admin/import over the size limit, through Kestrel (which enforces the endpoint's request size
/// limit as it reads): refused with 413 and the same problem detail whether the client declares its length or sends
/// it chunked, and nothing imported.
/// </summary>
public sealed class StaffImportSizeTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUploadOverTheLimit_Is413WithTheSameProblem_WithOrWithoutItsLength(bool chunked)
    {
        var address = StartOnLoopback();
        var members = await _host.DbAsync(db => db.Members.CountAsync(Ct));
        var csv = new StringBuilder("编号,姓名\n");
        while (csv.Length < DataImporter.MaxFileBytes + (128 * 1024))
        {
            csv.Append("M9,某委员\n");
        }

        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "roster.csv");

        var (status, contentType, body) = await PostAsync(address, await form.ReadAsByteArrayAsync(Ct), form.Headers.ContentType!.ToString(), chunked);

        Assert.Equal(413, status);
        Assert.Equal("application/problem+json", contentType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("文件超过 10 MB，请拆分后再上传。", problem.GetProperty("title").GetString());
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal(members, await _host.DbAsync(db => db.Members.CountAsync(Ct)));
    }

    private Uri StartOnLoopback()
    {
        _host.Settings["Admin:ApiKey"] = StaffApiHost.StaffKey;
        _host.UseKestrel(0);
        _host.StartServer();
        return new Uri(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Posts the upload over a plain connection, with its Content-Length or chunked, and reads the answer while it is
    /// still sending: the host answers as soon as it knows the upload is too large and reads no further, which an
    /// HttpClient would report as a broken pipe rather than give the answer.
    /// </summary>
    private static async Task<(int Status, string? ContentType, string Body)> PostAsync(Uri address, byte[] body, string contentType, bool chunked)
    {
        using var connection = new TcpClient();
        await connection.ConnectAsync(address.Host, address.Port, Ct);
        var stream = connection.GetStream();
        var head = $"POST /api/admin/import HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {StaffApiHost.StaffKey}\r\n"
            + $"Content-Type: {contentType}\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var answer = ReadToEndAsync(stream);
        try
        {
            const int Part = 64 * 1024;
            for (var offset = 0; offset < body.Length && !answer.IsCompleted; offset += Part)
            {
                var part = body.AsMemory(offset, Math.Min(Part, body.Length - offset));
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{part.Length:X}\r\n"), Ct);
                }

                await stream.WriteAsync(part, Ct);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), Ct);
                }
            }

            if (chunked && !answer.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), Ct);
            }
        }
        catch (IOException)
        {
            // The host answered and stopped reading.
        }

        var text = Encoding.UTF8.GetString(await answer);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"No answer: \"{text}\"");
        var headers = text[..split].Split("\r\n");
        string? Header(string name) => headers.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h[1].Trim()).FirstOrDefault();
        var content = text[(split + 4)..];
        if (Header("Transfer-Encoding") == "chunked")
        {
            var joined = new StringBuilder();
            for (var at = 0; ;)
            {
                var lineEnd = content.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = int.Parse(content.AsSpan(at, lineEnd - at), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    break;
                }

                // The sizes count bytes; the problem detail here is ASCII apart from its title, so the text is cut by bytes.
                var bytes = Encoding.UTF8.GetBytes(content[(lineEnd + 2)..]);
                var piece = Encoding.UTF8.GetString(bytes, 0, size);
                joined.Append(piece);
                at = lineEnd + 2 + piece.Length + 2;
            }

            content = joined.ToString();
        }

        return (int.Parse(headers[0].Split(' ')[1], CultureInfo.InvariantCulture), Header("Content-Type")?.Split(';')[0], content);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream)
    {
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset once the answer was sent, as the host drops the rest of the upload.
        }

        return received.ToArray();
    }
}
