using System.Text.Json;
using System.Text.Json.Serialization;

namespace Linping.CppccBot.Features.Staff;

/// <summary>
/// Writes the times of the staff API in the bot's time zone (<c>2026-11-27T09:00:00+08:00</c>, not the UTC the database
/// keeps): the same instant, as the office reads it. Reading keeps whatever offset the client sent.
/// </summary>
public sealed class LocalTimeJsonConverter(TimeZoneInfo zone) : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(TimeZoneInfo.ConvertTime(value, zone));
    }
}
