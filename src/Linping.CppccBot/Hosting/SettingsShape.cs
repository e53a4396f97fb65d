using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Checks a settings section against the options class it binds to, key by key. The configuration binder drops what it
/// cannot bind inside a list or a dictionary (<c>Reminders:Offsets:0=abc</c>, a meeting type that does not exist) and
/// ignores keys that are no setting (<c>Reminders:Offset</c>), so a mistake would quietly leave the default in force;
/// here each one stops the start, naming its key.
/// </summary>
public sealed class SettingsShape<TOptions>(IConfiguration configuration, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = SettingsShape.Check(configuration.GetSection(sectionName), typeof(TOptions)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>The checks of <see cref="SettingsShape{TOptions}"/>, and how a value that is not of its setting's type is told.</summary>
public static class SettingsShape
{
    public static IEnumerable<string> Check(IConfigurationSection section, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var children = section.GetChildren().ToList();
        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>);
        if (children.Count == 0)
        {
            // An empty value is a setting cleared (e.g. an environment variable set to nothing): the default stays.
            return section.Value is not { Length: > 0 } value ? []
                : list ? [$"{section.Path} is a list: set {section.Path}:0, {section.Path}:1 and so on."]
                : IsSection(type) ? [$"{section.Path} is a section, not a single value."]
                : CheckValue(section.Path, value, type);
        }

        if (list)
        {
            var element = type.GetGenericArguments()[0];
            return children.SelectMany(child => int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? Check(child, element)
                : [$"{child.Path} is not a setting: the entries of {section.Path} are numbered from 0."]);
        }

        if (dictionary)
        {
            var (keyType, valueType) = (type.GetGenericArguments()[0], type.GetGenericArguments()[1]);
            return children.SelectMany(child => CheckValue(child.Path, child.Key, keyType).Any()
                ? [$"{child.Path} is not a setting: '{child.Key}' is not {Describe(keyType)}."]
                : Check(child, valueType));
        }

        if (!IsSection(type))
        {
            return [$"{section.Path} is a single value, not a section."];
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return children.SelectMany(child => properties.TryGetValue(child.Key, out var property)
            ? Check(child, property.PropertyType)
            : [$"{child.Path} is not a setting (those of {section.Path} are {string.Join(", ", properties.Keys)})."]);
    }

    /// <summary>Nothing when <paramref name="value"/> binds to <paramref name="type"/>; otherwise one line naming <paramref name="path"/>.</summary>
    public static IEnumerable<string> CheckValue(string path, string value, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            var valid = type == typeof(string)
                || (type.IsEnum ? Enum.IsDefined(type, Enum.Parse(type, value, ignoreCase: true))
                    : TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null);
            return valid ? [] : [$"{path}: '{value}' is not {Describe(type)}."];
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return [$"{path}: '{value}' is not {Describe(type)}."];
        }
    }

    private static string Describe(Type type) =>
        type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : type == typeof(TimeSpan) ? "a time span such as 02:00:00 or 1.00:00:00"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(Uri) ? "a URL"
        : $"a {type.Name}";

    /// <summary>A class of settings (not a single value such as a string, a number, a time span or a URL).</summary>
    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type != typeof(Uri);
}

public static class SettingsShapeExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="sectionName"/> and validates it at start: its data
    /// annotations (and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) and the section's shape
    /// (<see cref="SettingsShape{TOptions}"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> BindSettings<TOptions>(this OptionsBuilder<TOptions> builder, string sectionName)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(sp =>
            new SettingsShape<TOptions>(sp.GetRequiredService<IConfiguration>(), sectionName));
        return builder.BindConfiguration(sectionName).ValidateDataAnnotations();
    }
}
