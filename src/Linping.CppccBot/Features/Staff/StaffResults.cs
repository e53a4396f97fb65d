using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Persistence.Import;

namespace Linping.CppccBot.Features.Staff;

/// <summary>The staff API's answers: ProblemDetails with a Chinese title, and field errors keyed by the JSON field name.</summary>
internal static class StaffResults
{
    public static IResult NotFound(string what) => Results.Problem(title: $"找不到{what}。", statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string title) => Results.Problem(title: title, statusCode: StatusCodes.Status409Conflict);

    public static IResult BadRequest(string title) => Results.Problem(title: title, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "请求中有无效的字段，未做任何修改。");

    /// <summary>
    /// A file the import refused: the same shape as a request with bad fields, its <c>errors</c> keyed by where each
    /// problem is (<c>第 3 行「企业微信账号」</c>, <c>整个表格</c>, for JSON <c>meetings[2] (MT-2027-03).startsAt</c>, <c>$</c> for
    /// the whole file), in the order of the file.
    /// </summary>
    public static IResult InvalidFile(string fileName, IReadOnlyList<ImportError> errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Where, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            title: $"文件“{fileName}”有 {errors.Count} 处问题，未导入任何记录。",
            detail: "请按 errors 所列的行和列（JSON 文件为记录和字段）改正后重新上传整个文件。");

    /// <summary>Validator errors of one record (<c>members[0] (M009).wecomUserId</c>) as field errors (<c>wecomUserId</c>).</summary>
    public static IResult Invalid(IEnumerable<ImportError> errors) =>
        Invalid(errors.GroupBy(e => e.Field.Length == 0 ? "$" : e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    /// <summary>Reads the JSON body as <typeparamref name="T"/>; a missing or malformed body is a 400 that says so.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        if (optional && request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return (null, null);
        }

        try
        {
            var (node, duplicate) = await ParseAsync(request);
            if (duplicate is not null)
            {
                return (null, duplicate);
            }

            if (node is JsonObject body && UnknownFields(body, typeof(T)) is { } unknown)
            {
                return (null, unknown);
            }

            var value = node.Deserialize<T>(ImportDocument.JsonOptions);
            return value is null && !optional ? (null, BadRequest("请求体不能为空：请发送 JSON。")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"请求体不是有效的 JSON，或字段类型不符（{ex.Path ?? "$"}）。"));
        }
    }

    /// <summary>As the import reads JSON: comments and trailing commas allowed, field names in any case.</summary>
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// A 400 naming the fields of <paramref name="body"/> that <paramref name="type"/> does not have (case aside), also
    /// inside nested objects and lists of objects (<c>dingtalkWebhook.secrte</c>, <c>units[1].nmae</c>): a misspelt field
    /// would otherwise be ignored and the request answered 200 with nothing changed.
    /// </summary>
    public static IResult? UnknownFields(JsonObject body, Type type)
    {
        var errors = new Dictionary<string, string[]>();
        CollectUnknown(body, type, "", errors);
        return errors.Count == 0 ? null : Invalid(errors);
    }

    /// <summary>As <see cref="UnknownFields(JsonObject, Type)"/> for a body whose fields are <paramref name="known"/>.</summary>
    public static IResult? UnknownFields(JsonObject body, IReadOnlyCollection<string> known)
    {
        var unknown = body.Select(p => p.Key).Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0 ? null : Invalid(unknown.ToDictionary(k => k, _ => new[] { NoSuchField(known) }));
    }

    private static void CollectUnknown(JsonObject body, Type type, string path, Dictionary<string, string[]> errors)
    {
        var properties = ImportDocument.JsonOptions.GetTypeInfo(type).Properties;
        foreach (var (key, value) in body)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors[path + key] = [NoSuchField([.. properties.Select(p => p.Name)])];
            }
            else if (value is JsonObject inner && IsRecord(property.PropertyType))
            {
                CollectUnknown(inner, property.PropertyType, $"{path}{key}.", errors);
            }
            else if (value is JsonArray items && ElementType(property.PropertyType) is { } element && IsRecord(element))
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is JsonObject item)
                    {
                        CollectUnknown(item, element, $"{path}{key}[{i}].", errors);
                    }
                }
            }
        }
    }

    private static bool IsRecord(Type type) => type.IsClass && type != typeof(string) && !type.IsArray && !type.IsGenericType;

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    private static string NoSuchField(IReadOnlyCollection<string> known) => $"没有这个字段；可用的字段：{string.Join("、", known)}";

    /// <summary>Reads the JSON body as an object, for partial changes where an absent field and <c>null</c> differ.</summary>
    public static async Task<(JsonObject? Value, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var (node, duplicate) = await ParseAsync(request);
            return duplicate is not null ? (null, duplicate)
                : node is JsonObject obj ? (obj, null)
                : (null, BadRequest("请求体应为 JSON 对象。"));
        }
        catch (JsonException)
        {
            return (null, BadRequest("请求体不是有效的 JSON。"));
        }
    }

    /// <summary>
    /// Parses the body, or answers 400 naming a field written twice in one object (<c>{"memberId":"M001","memberId":"M002"}</c>;
    /// <c>location</c> and <c>Location</c> too, as field names are read in any case): which one was meant cannot be told,
    /// and the <see cref="JsonObject"/> read from such a body throws when a field is looked up.
    /// </summary>
    private static async Task<(JsonNode? Node, IResult? Error)> ParseAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, request.HttpContext.RequestAborted);
        if (FirstDuplicate(document.RootElement, "") is { } field)
        {
            return (null, Invalid(field, $"字段“{field}”出现了不止一次（字段名不分大小写），请只保留一个。"));
        }

        var root = document.RootElement.Clone();
        return (root.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(root, NodeOptions),
            JsonValueKind.Array => JsonArray.Create(root, NodeOptions),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(root, NodeOptions),
        }, null);
    }

    /// <summary>The path of the first field that comes twice in one object (<c>units[1].name</c>), or null.</summary>
    private static string? FirstDuplicate(JsonElement element, string at)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (FirstDuplicate(item, string.Create(CultureInfo.InvariantCulture, $"{at}[{i++}]")) is { } found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in element.EnumerateObject())
            {
                var field = at.Length == 0 ? property.Name : $"{at}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    return field;
                }

                if (FirstDuplicate(property.Value, field) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }
}
