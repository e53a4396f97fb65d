using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Persistence;

public static class PersistenceExtensions
{
    /// <summary>Registers <see cref="BotDbContext"/> on SQLite (default, a file in the working folder) or PostgreSQL.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations();

        var provider = builder.Configuration.GetValue($"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Database is required when Database:Provider is Postgres.");
        }

        if (provider == DatabaseProvider.Postgres)
        {
            // The PostgreSQL context is served as BotDbContext; its own type selects the PostgreSQL migrations.
            builder.Services.AddDbContext<BotDbContext, PostgresBotDbContext>(options => options.UseNpgsql(connectionString));
        }
        else
        {
            builder.Services.AddDbContext<BotDbContext>(options =>
                options.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString));
        }

        builder.Services.AddScoped<DataImporter>();
        builder.Services.AddHealthChecks().AddDbContextCheck<BotDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
