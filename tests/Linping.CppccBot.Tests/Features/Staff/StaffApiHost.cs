using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>A test host with the staff key set, the fake WeCom API behind it, and an HTTP client that sends the key.</summary>
public abstract class StaffApiHost : IAsyncLifetime
{
    public const string StaffKey = "staff-key-0123456789";

    protected BotHostFactory Host { get; private set; } = null!;

    protected FakeWeComServer WeCom { get; private set; } = null!;

    protected HttpClient Staff { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Host = new BotHostFactory();
        WeCom = await ReminderHarness.StartWeComAsync(Host);
        Host.Settings["WeCom:ApiBaseUrl"] = WeCom.BaseAddress.ToString();
        Host.Settings["Admin:ApiKey"] = StaffKey;
        Staff = Host.CreateClient();
        Staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StaffKey);
    }

    public async ValueTask DisposeAsync()
    {
        Staff.Dispose();
        await Host.DisposeAsync();
        await WeCom.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        var response = body is null ? await Staff.PostAsync(path, null, Ct) : await Staff.PostAsJsonAsync(path, body, Ct);
        return (response, await BodyAsync(response));
    }

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> PutAsync(string path, object body)
    {
        var response = await Staff.PutAsJsonAsync(path, body, Ct);
        return (response, await BodyAsync(response));
    }

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> PatchAsync(string path, object body)
    {
        var response = await Staff.PatchAsJsonAsync(path, body, Ct);
        return (response, await BodyAsync(response));
    }

    /// <summary>One run of the minute job (reminders, proposal news, notices, free seats), as Hangfire runs it.</summary>
    protected async Task RunMinuteJobAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Linping.CppccBot.Features.Reminders.ReminderJob>().RunAsync(Ct);
    }

    /// <summary>A meeting in six days with <paramref name="seats"/> seats, <paramref name="signedUp"/> holding them.</summary>
    protected async Task AddMeetingWithSeatsAsync(string id, int seats, string[] signedUp, string[] invitees)
    {
        await Host.AddMeetingAsync(id, Host.Time.GetUtcNow().AddDays(6), Linping.CppccBot.Persistence.Entities.ParticipationMode.OpenSignup, signedUp, invitees);
        await SetSeatsAsync(id, seats);
    }

    /// <summary>Changes the number of seats in the database only, as a re-import does (no promotion).</summary>
    protected Task<int> SetSeatsAsync(string id, int seats) =>
        Host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == id, Ct)).Capacity = seats;
            return await db.SaveChangesAsync(Ct);
        });

    protected async Task<JsonElement> GetAsync(string path)
    {
        var response = await Staff.GetAsync(path, Ct);
        response.EnsureSuccessStatusCode();
        return await BodyAsync(response);
    }

    protected async Task<(HttpResponseMessage Response, JsonElement Body)> UploadAsync(string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await Staff.PostAsync("/api/admin/import", form, Ct);
        return (response, await BodyAsync(response));
    }

    protected static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static string Repo(params string[] parts) => Path.Combine([BotHostFactory.RepositoryRoot, .. parts]);
}
