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

        builder.Services.AddSingleton<RosterChanges>();
        builder.Services.AddSingleton<RosterChangeInterceptor>();

        // Pooled: every message needs a context, and a pooled one skips building the context's services each time.
        if (provider == DatabaseProvider.Postgres)
        {
            // The PostgreSQL context is served as BotDbContext; its own type selects the PostgreSQL migrations.
            builder.Services.AddDbContextPool<BotDbContext, PostgresBotDbContext>((services, options) => options
                .UseNpgsql(connectionString)
                .AddInterceptors(services.GetRequiredService<RosterChangeInterceptor>()));
        }
        else
        {
            builder.Services.AddDbContextPool<BotDbContext>((services, options) => options
                .UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString)
                .AddInterceptors(services.GetRequiredService<RosterChangeInterceptor>()));
        }

        builder.Services.AddScoped<DataImporter>();
        builder.Services.AddHealthChecks().AddDbContextCheck<BotDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
