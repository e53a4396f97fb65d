using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Meetings;

public static class MeetingsRegistration
{
    /// <summary>Meetings: the rules, the chat handlers for members and for staff approving leave, and the dialogs.</summary>
    public static IServiceCollection AddMeetings(this IServiceCollection services)
    {
        services.AddSingleton<MeetingTexts>();
        services.AddScoped<MeetingService>();
        services.AddScoped<MeetingConversation>();
        services.AddIntentHandler<MeetingsHandler>();
        services.AddIntentHandler<LeaveReviewHandler>();
        services.AddIntentHandler<MeetingRosterHandler>();
        services.AddSingleton<IDialog, ChooseMeetingDialog>();
        services.AddSingleton<IDialog, WaitlistDialog>();
        services.AddSingleton<IDialog, LeaveDialog>();
        services.AddSingleton<IDialog, ConfirmCancelDialog>();
        return services;
    }
}
