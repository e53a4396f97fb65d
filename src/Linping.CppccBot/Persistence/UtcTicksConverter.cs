using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as its UTC ticks (used on SQLite only, see <see cref="BotDbContext"/>).
/// Values read back carry offset zero; the instant is kept, the original offset is not, which is what "times in UTC" means.
/// </summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

/// <summary>
/// Turns a <see cref="DateTimeOffset"/> to UTC before it is written (used on PostgreSQL, whose <c>timestamptz</c> keeps the
/// instant, and whose driver accepts offset zero only). Values read back carry offset zero.
/// </summary>
internal sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value.ToUniversalTime());
