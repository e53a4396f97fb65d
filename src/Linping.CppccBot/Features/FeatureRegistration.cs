using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Console;
using Linping.CppccBot.Features.Help;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Proposals;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Features.Roster;
using Linping.CppccBot.Features.Staff;

namespace Linping.CppccBot.Features;

/// <summary>One line per feature: what it registers. No assembly scanning, so a reader sees every feature here.</summary>
public static class FeatureRegistration
{
    public static IHostApplicationBuilder AddFeatures(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IIntentRecognizer, ChineseIntentRecognizer>();
        services.AddSingleton<CallerCache>();
        services.AddScoped<ICallerDirectory, RosterCallerDirectory>();
        services.AddSingleton<ChineseTime>();
        services.AddScoped<NoticeDispatcher>();
        services.AddIntentHandler<HelpHandler>();
        services.AddIntentHandler<ListPickHandler>();
        services.AddMeetings();
        services.AddProposals();
        services.AddOpinions();
        services.AddReminders();
        services.AddStaffConsole(builder.Configuration);
        services.AddStaffApi();
        return builder;
    }
}
