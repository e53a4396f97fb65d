using Linping.CppccBot.Hosting;

namespace Linping.CppccBot.Features.Staff;

/// <summary>
/// <c>GET /api/admin/meetings/{id}/signups.csv|.xlsx</c> and <c>attendance.csv|.xlsx</c> (bearer <c>Admin:ApiKey</c>):
/// a meeting's lists as files named after the meeting (RFC 5987 <c>filename*</c>).
/// </summary>
public static class StaffExportEndpoints
{
    public static IEndpointRouteBuilder MapStaffExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup();
        group.MapGet("/meetings/{id}/signups.csv", (string id, MeetingExportService exports, CancellationToken ct) => ExportAsync(exports, id, MeetingExportKind.Signups, false, ct));
        group.MapGet("/meetings/{id}/signups.xlsx", (string id, MeetingExportService exports, CancellationToken ct) => ExportAsync(exports, id, MeetingExportKind.Signups, true, ct));
        group.MapGet("/meetings/{id}/attendance.csv", (string id, MeetingExportService exports, CancellationToken ct) => ExportAsync(exports, id, MeetingExportKind.Attendance, false, ct));
        group.MapGet("/meetings/{id}/attendance.xlsx", (string id, MeetingExportService exports, CancellationToken ct) => ExportAsync(exports, id, MeetingExportKind.Attendance, true, ct));
        return app;
    }

    /// <summary>The file as a download, or 404 (ProblemDetails) for an unknown meeting.</summary>
    public static async Task<IResult> ExportAsync(MeetingExportService exports, string id, MeetingExportKind kind, bool xlsx, CancellationToken cancellationToken) =>
        await exports.ExportAsync(id, kind, xlsx, cancellationToken) is { } file
            ? Results.File(file.Content, file.ContentType, file.FileName)
            : Results.Problem(title: "没有这个会议。", statusCode: StatusCodes.Status404NotFound);
}
