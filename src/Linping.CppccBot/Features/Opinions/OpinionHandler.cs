using System.Globalization;
using System.Text;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>"我要提交社情民意" starts the report dialog; "我的社情民意" lists the member's reports with their status.</summary>
public sealed class OpinionHandler(OpinionService opinions, ChineseTime chineseTime) : IIntentHandler
{
    /// <summary>A chat message stays readable up to about this many lines; older reports are counted, not listed.</summary>
    public const int ListLimit = 10;

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.SubmitOpinion, IntentNames.MyOpinions];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        if (turn.Caller.MemberId is not { } memberId)
        {
            turn.Reply(OpinionTexts.MembersOnly);
            return;
        }

        if (intent.Name == IntentNames.SubmitOpinion)
        {
            // A draft put aside is taken up again rather than lost to a fresh report.
            if (!turn.TryResumeDialog(SubmitOpinionDialog.DialogName))
            {
                await turn.BeginDialogAsync(SubmitOpinionDialog.DialogName, intent, cancellationToken);
            }

            return;
        }

        var reports = await opinions.ListForMemberAsync(memberId, ListLimit, cancellationToken);
        if (reports.Count == 0)
        {
            turn.Reply(OpinionTexts.NoReports);
            return;
        }

        var total = reports.Count < ListLimit ? reports.Count : await opinions.CountForMemberAsync(memberId, cancellationToken);
        turn.Reply(Format(reports, total));
    }

    private string Format(IReadOnlyList<OpinionSummary> reports, int total)
    {
        var adopted = reports.Count(r => r.Status == OpinionStatus.Adopted);
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"您报送的社情民意信息共{total}条");
        builder.Append(adopted > 0 && total == reports.Count ? string.Create(CultureInfo.InvariantCulture, $"，其中已采用{adopted}条：") : "：");
        for (var i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            builder.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {r.TrackingNumber}《{r.Title}》\n   {chineseTime.Date(r.SubmittedAt)}报送 · {r.Status.ToLabel()}");
        }

        if (total > reports.Count)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\n（只列出最近{reports.Count}条）");
        }

        builder.Append("\n\n发送“我要提交社情民意”可以再报送一条。");
        return builder.ToString();
    }
}
