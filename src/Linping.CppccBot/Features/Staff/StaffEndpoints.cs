using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence.Import;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Staff;

/// <summary>
/// The staff API routes under <c>/api/admin</c> (bearer <c>Admin:ApiKey</c>, 401 without it): meetings, leave,
/// check-in, members, staff, groups, proposals, 社情民意 and the file import. README "For staff" shows each with curl.
/// </summary>
public static class StaffEndpoints
{
    public static IServiceCollection AddStaffApi(this IServiceCollection services)
    {
        services.AddScoped<StaffMeetings>();
        services.AddScoped<StaffRecords>();
        services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<IOptions<BotOptions>>((json, bot) => json.SerializerOptions.Converters.Add(new LocalTimeJsonConverter(bot.Value.ResolveTimeZone())));
        return services;
    }

    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup();
        MapMeetings(api);
        MapRecords(api);
        api.MapPost("/import", ImportAsync).WithMetadata(new RequestSizeLimitAttribute(DataImporter.MaxFileBytes + (64 * 1024)));
        return app;
    }

    private static void MapMeetings(RouteGroupBuilder api)
    {
        api.MapGet("/meetings", async (StaffMeetings meetings, CancellationToken ct) => Results.Ok(await meetings.ListAsync(ct)));
        api.MapGet("/meetings/{id}", (string id, StaffMeetings meetings, CancellationToken ct) => meetings.GetAsync(id, ct));
        api.MapPost("/meetings", async (HttpRequest request, StaffMeetings meetings, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadObjectAsync(request);
            return error ?? await meetings.CreateAsync(body!, ct);
        });
        api.MapMethods("/meetings/{id}", [HttpMethods.Put, HttpMethods.Patch], async (string id, HttpRequest request, StaffMeetings meetings, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadObjectAsync(request);
            return error ?? await meetings.ChangeAsync(id, body!, ct);
        });
        api.MapPost("/meetings/{id}/publish", (string id, StaffMeetings meetings, CancellationToken ct) => meetings.PublishAsync(id, ct));
        api.MapPost("/meetings/{id}/cancel", (string id, StaffMeetings meetings, CancellationToken ct) => meetings.CancelAsync(id, ct));
        api.MapPost("/meetings/{id}/checkins", async (string id, HttpRequest request, StaffMeetings meetings, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<CheckInRequest>(request);
            return error ?? await meetings.CheckInAsync(id, body!.MemberId, ct);
        });
        api.MapPost("/meetings/{id}/leave/{memberId}/approve", (string id, string memberId, StaffMeetings meetings, CancellationToken ct) =>
            meetings.DecideLeaveAsync(id, memberId, approve: true, reason: null, ct));
        api.MapPost("/meetings/{id}/leave/{memberId}/reject", async (string id, string memberId, HttpRequest request, StaffMeetings meetings, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<LeaveDecisionRequest>(request, optional: true);
            return error ?? await meetings.DecideLeaveAsync(id, memberId, approve: false, body?.Reason, ct);
        });
        api.MapGet("/leave", async (MeetingService meetings, TimeProvider time, CancellationToken ct) =>
            Results.Ok((await meetings.PendingLeaveAsync(ct)).Select(l => new
            {
                meetingId = l.Meeting.Id,
                meetingTitle = l.Meeting.Title,
                meetingStartsAt = l.Meeting.StartsAt,

                // Undecided when the meeting began: still to be decided (after the fact), marked as such.
                meetingStarted = l.Meeting.StartsAt <= time.GetUtcNow(),
                meetingEnded = l.Meeting.EndsAt <= time.GetUtcNow(),
                memberId = l.MemberId,
                memberName = l.MemberName,
                reason = l.Reason is { } reason ? Persistence.Entities.Labels.ToLabel(reason) : null,
                note = l.Note,
                requestedAt = l.RequestedAt,
                participationId = l.ParticipationId,
            })));

        // Refused requests the office may still approve on review (POST …/approve), as the console's 未准的请假 list.
        api.MapGet("/leave/refused", async (MeetingService meetings, CancellationToken ct) =>
            Results.Ok((await meetings.RefusedLeaveAsync(ct)).Select(r => new
            {
                meetingId = r.Leave.Meeting.Id,
                meetingTitle = r.Leave.Meeting.Title,
                meetingStartsAt = r.Leave.Meeting.StartsAt,
                memberId = r.Leave.MemberId,
                memberName = r.Leave.MemberName,
                reason = r.Leave.Reason is { } reason ? Persistence.Entities.Labels.ToLabel(reason) : null,
                note = r.Leave.Note,
                refusalReason = r.RefusalReason,
                refusedAt = r.RefusedAt,
                participationId = r.Leave.ParticipationId,
            })));
    }

    private static void MapRecords(RouteGroupBuilder api)
    {
        api.MapGet("/members", async (StaffRecords records, CancellationToken ct) => Results.Ok(await records.MembersAsync(ct)));
        api.MapPut("/members/{id}", async (string id, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<MemberRecord>(request);
            return error ?? await records.UpsertMemberAsync(id, body!, ct);
        });
        api.MapPost("/members/{id}/deactivate", (string id, StaffRecords records, CancellationToken ct) => records.SetMemberActiveAsync(id, active: false, ct));
        api.MapPost("/members/{id}/reactivate", (string id, StaffRecords records, CancellationToken ct) => records.SetMemberActiveAsync(id, active: true, ct));
        api.MapGet("/staff", async (StaffRecords records, CancellationToken ct) => Results.Ok(await records.StaffAsync(ct)));
        api.MapPut("/staff/{id}", async (string id, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<StaffRecord>(request);
            return error ?? await records.UpsertStaffAsync(id, body!, ct);
        });
        api.MapGet("/groups", async (StaffRecords records, CancellationToken ct) => Results.Ok(await records.GroupsAsync(ct)));
        api.MapPut("/groups/{id}", async (string id, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<GroupRecord>(request);
            return error ?? await records.UpsertGroupAsync(id, body!, ct);
        });
        api.MapGet("/proposals", async (StaffRecords records, CancellationToken ct) => Results.Ok(await records.ProposalsAsync(ct)));
        // {number}: the full number (一届五次第0012号, URL-encoded) or the serial alone (12).
        api.MapPut("/proposals/{number}", async (string number, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<ProposalRecord>(request);
            return error ?? await records.UpsertProposalAsync(number, body!, ct);
        });
        api.MapPost("/proposals/{number}/status", async (string number, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<StatusChangeRequest>(request);
            return error ?? await records.MoveProposalAsync(number, body!, ct);
        });
        api.MapGet("/opinions", async (StaffRecords records, CancellationToken ct) => Results.Ok(await records.OpinionsAsync(ct)));
        api.MapGet("/opinions/{id}", (string id, StaffRecords records, CancellationToken ct) => records.OpinionAsync(id, ct));
        api.MapPost("/opinions/{id}/status", async (string id, HttpRequest request, StaffRecords records, CancellationToken ct) =>
        {
            var (body, error) = await StaffResults.ReadAsync<StatusChangeRequest>(request);
            return error ?? await records.MoveOpinionAsync(id, body!, ct);
        });
    }

    /// <summary>
    /// <c>POST /api/admin/import</c>: one file as multipart form data (.xlsx, .csv or .json). All or nothing: any bad row
    /// refuses the whole file with a 400 whose <c>errors</c> are keyed by row and column (<see cref="StaffResults.InvalidFile"/>).
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpRequest request, DataImporter importer, ReminderDispatcher dispatcher, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return StaffResults.BadRequest("请以 multipart/form-data 上传一个文件（如 curl -F file=@名单.xlsx）。");
        }

        if (request.ContentLength > DataImporter.MaxFileBytes + (64 * 1024))
        {
            return TooLarge();
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body sent without Content-Length (chunked) is found too large only while it is read.
            return TooLarge();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return StaffResults.BadRequest("上传的表单无法读取，请重新上传一个文件。");
        }

        if (form.Files.Count != 1)
        {
            return StaffResults.BadRequest($"请只上传一个文件（收到 {form.Files.Count} 个）。");
        }

        var file = form.Files[0];
        if (file.Length > DataImporter.MaxFileBytes)
        {
            return TooLarge();
        }

        await using var stream = file.OpenReadStream();
        var result = await importer.ImportFileAsync(stream, file.FileName, ct);
        if (!result.Succeeded)
        {
            return StaffResults.InvalidFile(file.FileName, result.Errors);
        }

        // The change notices of the meetings it changed go out now, not at the reminder job's next minute.
        var notice = result.MeetingNotices.Any(n => n.Notice is ImportedMeetingChange.Announced or ImportedMeetingChange.Moved)
            ? NoticeSummary.From(await dispatcher.RunAsync(ct))
            : null;
        // What was kept as stored rather than as the file has it (the rest was imported), in the shape of the errors.
        var warnings = result.Warnings.Select(e => new { row = e.Row, record = e.Record, column = e.Field, message = e.Message, text = e.ToString() });
        // Members moved up from a waitlist into seats the file added were told already (memberTold), as a staff change's are.
        return Results.Ok(new
        {
            file = file.FileName,
            summary = result.Counts.ToString(),
            counts = result.Counts,
            meetingNotices = result.MeetingNotices,
            notice,
            warnings,
            promotedFromWaitlist = result.Promotions.Count,
            promotions = result.Promotions,
        });
    }

    private static IResult TooLarge() =>
        Results.Problem(title: $"文件超过 {DataImporter.MaxFileBytes / 1024 / 1024} MB，请拆分后再上传。", statusCode: StatusCodes.Status413PayloadTooLarge);
}
