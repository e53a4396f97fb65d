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

        builder.Services.AddDbContext<BotDbContext>(options =>
        {
            if (provider == DatabaseProvider.Postgres)
            {
                options.UseNpgsql(connectionString);
            }
            else
            {
                options.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString);
            }
        });

        builder.Services.AddScoped<DataImporter>();
        builder.Services.AddHealthChecks().AddDbContextCheck<BotDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
