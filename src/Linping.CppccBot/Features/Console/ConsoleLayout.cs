using Linping.CppccBot.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace Linping.CppccBot.Features.Console;

/// <summary>The console's page frame, forms and style; every page goes out through <see cref="Page"/>.</summary>
public static class ConsoleLayout
{
    public const string Css = """
        body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #222; background: #f6f6f4; }
        header { background: #8b1a1a; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.2rem; align-items: center; flex-wrap: wrap; }
        header a { color: #fff; text-decoration: none; }
        header .title { font-weight: bold; margin-right: auto; }
        header form { margin: 0; }
        main { max-width: 72rem; margin: 1.2rem auto; padding: 0 1.2rem; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { border: 1px solid #ddd; padding: .35rem .55rem; text-align: left; vertical-align: top; }
        th { background: #efeae4; }
        td.num { text-align: right; }
        .notice { padding: .6rem .9rem; border-radius: 4px; background: #e8f4ea; border: 1px solid #9cc9a4; }
        .error { padding: .6rem .9rem; border-radius: 4px; background: #fbeaea; border: 1px solid #d99; }
        .muted { color: #777; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        .actions form { display: inline-flex; gap: .3rem; margin: 0; }
        button, .button { font: inherit; padding: .3rem .8rem; border: 1px solid #8b1a1a; background: #8b1a1a; color: #fff; border-radius: 4px; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: #8b1a1a; }
        header button { background: transparent; border-color: #fff; }
        input[type=password], input[type=text] { font: inherit; padding: .3rem .5rem; }
        .login { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 1.5rem; border: 1px solid #ddd; }
        .login input { width: 100%; box-sizing: border-box; margin: .5rem 0 1rem; }
        .content { white-space: pre-wrap; background: #fff; padding: 1rem; border: 1px solid #ddd; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
        dt { color: #555; } dd { margin: 0; }
        """;

    /// <summary>A full page: header with navigation and logout when signed in, the body, no caching, a strict CSP.</summary>
    public static IResult Page(HttpContext http, string title, Markup body, int statusCode = StatusCodes.Status200OK, bool signedIn = true)
    {
        var dashboard = ConsoleRegistration.IsKeySession(http.User)
            ? Html.Of($"""<a href="{HangfireExtensions.ConsoleDashboardPath}">任务面板</a>""")
            : Markup.Empty;
        var nav = signedIn
            ? Html.Of($"""
                <a href="{ConsoleEndpoints.Prefix}">会议</a>
                <a href="{ConsoleEndpoints.Prefix}/leave">请假审批</a>
                <a href="{ConsoleEndpoints.Prefix}/opinions">社情民意</a>
                {dashboard}
                <form method="post" action="{ConsoleEndpoints.Prefix}/logout">{Token(http)}<button type="submit">退出登录</button></form>
                """)
            : Markup.Empty;
        var page = Html.Of($"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · 临平区政协履职助手</title>
            <link rel="stylesheet" href="{ConsoleEndpoints.Prefix}/console.css">
            </head>
            <body>
            <header><span class="title">临平区政协 · 工作人员控制台</span>{nav}</header>
            <main>
            {body}
            </main>
            </body>
            </html>
            """);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return Results.Content(page.Value, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>The hidden antiforgery field every console form carries.</summary>
    public static Markup Token(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    /// <summary>A table of text cells with a header row; numbers in a "序号" column align right.</summary>
    public static Markup Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<Markup>> rows, string empty)
    {
        var body = rows.Select(row => Html.Of($"<tr>{row.Select(cell => Html.Of($"<td>{cell}</td>"))}</tr>")).ToList();
        return body.Count == 0
            ? Html.Of($"""<p class="muted">{empty}</p>""")
            : Html.Of($"<table><thead><tr>{headers.Select(h => Html.Of($"<th>{h}</th>"))}</tr></thead><tbody>{body}</tbody></table>");
    }
}
