using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Staff read the API's errors: the framework's own answers (an unknown address, a wrong method, an unexpected
/// failure) get a Chinese title like the API's own, instead of "Not Found" or "An error occurred while processing
/// your request.". Titles the API set itself are kept.
/// </summary>
internal static class ChineseProblemTitles
{
    private static readonly Dictionary<int, string> Titles = new()
    {
        [StatusCodes.Status400BadRequest] = "请求无效，未做任何修改。",
        [StatusCodes.Status401Unauthorized] = "需要登录：请在 Authorization 中提供工作人员密钥（Bearer）。",
        [StatusCodes.Status403Forbidden] = "没有权限。",
        [StatusCodes.Status404NotFound] = "没有这个地址或记录。",
        [StatusCodes.Status405MethodNotAllowed] = "这个地址不支持该请求方法。",
        [StatusCodes.Status409Conflict] = "与现有数据冲突，未做任何修改。",
        [StatusCodes.Status413PayloadTooLarge] = "请求内容太大。",
        [StatusCodes.Status415UnsupportedMediaType] = "不支持的内容类型。",
        [StatusCodes.Status429TooManyRequests] = "请求过于频繁，请稍后再试。",
        [StatusCodes.Status500InternalServerError] = "服务器内部错误，请稍后再试；如一再出现，请联系管理员。",
        [StatusCodes.Status503ServiceUnavailable] = "服务暂时不可用，请稍后再试。",
    };

    private const string DefaultServerErrorTitle = "An error occurred while processing your request.";

    public static void Apply(ProblemDetails problem)
    {
        if (problem.Status is not { } status || !Titles.TryGetValue(status, out var title))
        {
            return;
        }

        // Only the framework's defaults: its reason phrase, its 500 sentence, or none.
        if (problem.Title is null || problem.Title == ReasonPhrases.GetReasonPhrase(status) || problem.Title == DefaultServerErrorTitle)
        {
            problem.Title = title;
        }
    }
}
