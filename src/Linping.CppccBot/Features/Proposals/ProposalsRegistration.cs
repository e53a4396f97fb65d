using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Proposals;

public static class ProposalsRegistration
{
    public static IServiceCollection AddProposals(this IServiceCollection services)
    {
        // The segmenter's dictionary is process-wide; the search and texts hold no per-request state.
        services.AddSingleton<TitleSegmenter>();
        services.AddHostedService<TitleSegmenterWarmUp>();
        services.AddSingleton<ProposalSearch>();
        services.AddSingleton<ProposalTexts>();
        services.AddScoped<ProposalQueries>();
        services.AddIntentHandler<ProposalsHandler>();
        services.AddScoped<ProposalEvaluation>();
        services.AddIntentHandler<EvaluationHandler>();
        services.AddSingleton<IDialog, EvaluationDialog>();
        services.AddSingleton<IDialog, ProposalQueryDialog>();
        return services;
    }
}
