using System.Globalization;
using System.Text;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>
/// "我要提交社情民意" starts the report dialog; "我的社情民意" lists the member's reports with their status (a number
/// then opens one); "SQMY-2026-0003" or "为什么退回了" shows one with its history and the office's notes; "修改社情民意"
/// revises a report the office returned and submits it again.
/// </summary>
public sealed class OpinionHandler(OpinionService opinions, ChineseTime chineseTime) : IIntentHandler
{
    /// <summary>A chat message stays readable up to about this many lines; older reports are counted, not listed.</summary>
    public const int ListLimit = 10;

    /// <summary>The tracking numbers of the last "我的社情民意" list, in its order, and when it was shown.</summary>
    public const string ListKey = "opinions.list";

    public const string ListAtKey = "opinions.listAt";

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.SubmitOpinion, IntentNames.MyOpinions, IntentNames.OpinionDetail, IntentNames.ReviseOpinion];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        // The information office reads any report by its number, as its notice of a new report invites it to.
        if (intent is { Name: IntentNames.OpinionDetail, Slot: { } number } && IsOffice(turn.Caller))
        {
            await ShowToOfficeAsync(turn, number, cancellationToken);
            return;
        }

        if (turn.Caller.MemberId is not { } memberId)
        {
            turn.Reply(OpinionTexts.MembersOnly);
            return;
        }

        switch (intent.Name)
        {
            case IntentNames.SubmitOpinion:
                // A draft put aside is taken up again rather than lost to a fresh report.
                if (!turn.TryResumeDialog(SubmitOpinionDialog.DialogName))
                {
                    await turn.BeginDialogAsync(SubmitOpinionDialog.DialogName, intent, cancellationToken);
                }

                return;
            case IntentNames.OpinionDetail:
                await ShowAsync(turn, memberId, intent.Slot, cancellationToken);
                return;
            case IntentNames.ReviseOpinion:
                await ReviseAsync(turn, memberId, intent.Slot, cancellationToken);
                return;
        }

        var reports = await opinions.ListForMemberAsync(memberId, ListLimit, cancellationToken);
        if (reports.Count == 0)
        {
            turn.Reply(OpinionTexts.NoReports);
            return;
        }

        var total = reports.Count < ListLimit ? reports.Count : await opinions.CountForMemberAsync(memberId, cancellationToken);
        turn.State.Memory[ListKey] = string.Join(',', reports.Select(r => r.TrackingNumber));
        turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
        RecentList.Remember(turn, RecentList.Opinions);
        turn.Reply(Format(reports, total));
    }

    /// <summary>Entry <paramref name="pick"/> of the last "我的社情民意" list.</summary>
    public async Task ShowPickedAsync(TurnContext turn, int pick, CancellationToken cancellationToken)
    {
        var ids = turn.State.Memory.GetValueOrDefault(ListKey)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (turn.Caller.MemberId is not { } memberId || pick < 1 || pick > ids.Length)
        {
            turn.Reply(string.Create(CultureInfo.InvariantCulture, $"序号{pick}不在您上次查看的社情民意列表中（共{ids.Length}条）。发送“我的社情民意”重新查看。"));
            return;
        }

        await ShowAsync(turn, memberId, ids[pick - 1], cancellationToken);
    }

    private async Task ShowAsync(TurnContext turn, string memberId, string? trackingNumber, CancellationToken cancellationToken)
    {
        Opinion? opinion;
        if (trackingNumber is null)
        {
            // "为什么退回了": the report returned last.
            if (await opinions.ReturnedAsync(memberId, cancellationToken) is not [var latest, ..])
            {
                turn.Reply(OpinionTexts.NoneReturned);
                return;
            }

            opinion = latest;
        }
        else
        {
            opinion = await opinions.OwnAsync(memberId, trackingNumber, cancellationToken);
            if (opinion is null)
            {
                turn.Reply(OpinionTexts.NotOwn(trackingNumber));
                return;
            }
        }

        turn.Reply(Detail(opinion, submitter: null));
    }

    private static bool IsOffice(Caller caller) => caller.HasRole(StaffRoles.InfoOffice) || caller.HasRole(StaffRoles.Admin);

    private async Task ShowToOfficeAsync(TurnContext turn, string trackingNumber, CancellationToken cancellationToken)
    {
        if (await opinions.ForOfficeAsync(trackingNumber, cancellationToken) is not var (opinion, submitter))
        {
            turn.Reply(OpinionTexts.UnknownForOffice(trackingNumber));
            return;
        }

        // Staff who are members too read their own report as its submitter (with how to revise it).
        turn.Reply(opinion.SubmittedById == turn.Caller.MemberId
            ? Detail(opinion, submitter: null)
            : Detail(opinion, submitter ?? opinion.SubmittedById) + "\n\n" + OpinionTexts.OfficeFooter);
    }

    private async Task ReviseAsync(TurnContext turn, string memberId, string? trackingNumber, CancellationToken cancellationToken)
    {
        Opinion? opinion;
        if (trackingNumber is not null)
        {
            opinion = await opinions.OwnAsync(memberId, trackingNumber, cancellationToken);
            if (opinion is null)
            {
                turn.Reply(OpinionTexts.NotOwn(trackingNumber));
                return;
            }

            if (opinion.Status != OpinionStatus.Returned)
            {
                turn.Reply(OpinionTexts.NotReturned(opinion.Id, opinion.Status));
                return;
            }
        }
        else
        {
            var returned = await opinions.ReturnedAsync(memberId, cancellationToken);
            if (returned.Count != 1)
            {
                turn.Reply(returned.Count == 0 ? OpinionTexts.NoneReturned : OpinionTexts.PickReturned(returned));
                return;
            }

            opinion = returned[0];
        }

        await SubmitOpinionDialog.ReviseAsync(turn, opinion, cancellationToken);
    }

    /// <summary>One report with its history; for the office (<paramref name="submitter"/> given) with who sent it.</summary>
    private string Detail(Opinion opinion, string? submitter)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{opinion.Id}《{opinion.Title}》\n");
        if (submitter is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"报送人：{submitter}委员\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"报送：{chineseTime.Date(opinion.SubmittedAt)}｜类别：{opinion.Category ?? "未分类"}\n");
        text.Append(CultureInfo.InvariantCulture, $"状态：{opinion.Status.ToLabel()}\n");
        text.Append("处理过程：");
        foreach (var entry in opinion.History.OrderBy(h => h.At).ThenBy(h => h.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n· {chineseTime.Date(entry.At)} {entry.Status.ToLabel()}");
            if (!string.IsNullOrWhiteSpace(entry.Note))
            {
                text.Append(CultureInfo.InvariantCulture, $"（{entry.Note}）");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"\n正文（共{OpinionText.Length(opinion.Content)}字）：{OpinionText.Beginning(opinion.Content, OpinionTexts.SummaryPreviewLength)}");
        if (opinion.Status == OpinionStatus.Returned && submitter is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n这条信息被退回修改，回复“修改 {opinion.Id}”即可修改后重新报送。");
        }

        return text.ToString();
    }

    private string Format(IReadOnlyList<OpinionSummary> reports, int total)
    {
        // Reported upward is adopted first (or better): both count as 采用.
        var adopted = reports.Count(r => r.Status is OpinionStatus.Adopted or OpinionStatus.ReportedUpward);
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"您报送的社情民意信息共{total}条");
        builder.Append(adopted > 0 && total == reports.Count ? string.Create(CultureInfo.InvariantCulture, $"，其中已采用{adopted}条：") : "：");
        for (var i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            builder.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {r.TrackingNumber}《{r.Title}》\n   {chineseTime.Date(r.SubmittedAt)}报送 · {r.Status.ToLabel()}");
            if (r.Status == OpinionStatus.Returned)
            {
                builder.Append("（需修改后重新报送）");
            }
        }

        if (total > reports.Count)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\n（只列出最近{reports.Count}条）");
        }

        builder.Append("\n\n回复序号可查看详情和处理过程；发送“我要提交社情民意”可以再报送一条。");
        return builder.ToString();
    }
}
