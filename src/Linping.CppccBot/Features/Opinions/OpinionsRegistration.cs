using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Opinions;

public static class OpinionsRegistration
{
    /// <summary>社情民意: the report dialog, "我的社情民意" and the service behind both.</summary>
    public static IServiceCollection AddOpinions(this IServiceCollection services)
    {
        services.AddScoped<OpinionService>();
        services.AddIntentHandler<OpinionHandler>();

        // Singleton like the DialogSet that holds it; it opens a scope of its own for the database.
        services.AddSingleton<IDialog, SubmitOpinionDialog>();
        return services;
    }
}
