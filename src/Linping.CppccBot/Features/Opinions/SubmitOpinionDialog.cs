using System.Globalization;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>
/// "我要提交社情民意": title, content (several messages until "完成"), optional category, then a summary to confirm, edit
/// or cancel. Nothing is stored before the member confirms. The dialog is a singleton (the <see cref="DialogSet"/> is),
/// so the database work on confirm runs in a scope of its own.
/// </summary>
public sealed partial class SubmitOpinionDialog(IServiceScopeFactory scopes, IOptions<ConversationOptions> options) : IDialog
{
    public const string DialogName = "submit-opinion";

    public const int TitleMaxLength = 50;
    public const int TitleMinWords = 4;
    public const int ContentMinLength = 20;

    /// <summary>A report runs from a few hundred to about 1500 characters; twice that leaves room without inviting essays.</summary>
    public const int ContentMaxLength = 3000;

    /// <summary>The dialog's steps; the numbers are kept in the conversation state, so they do not change.</summary>
    internal static class Steps
    {
        public const int Title = 0;
        public const int ConfirmOfferedTitle = 1;
        public const int Content = 2;
        public const int Category = 3;
        public const int Summary = 4;
    }

    private static class Keys
    {
        public const string Title = "title";
        public const string OfferedTitle = "offeredTitle";
        public const string Content = "content";
        public const string Buffer = "buffer";
        public const string Parts = "parts";
        public const string Category = "category";

        /// <summary>Set while the member edits from the summary: the step then returns to the summary.</summary>
        public const string Editing = "editing";

        /// <summary>The tracking number of a returned report being revised: confirming submits it again under it.</summary>
        public const string Revising = "revising";
    }

    /// <summary>
    /// Revises a report the office returned: the dialog starts at the summary with the stored title, text and category,
    /// under the office's note; the member edits what is asked and confirms, and the report goes back as 已报送.
    /// </summary>
    public static async Task ReviseAsync(TurnContext turn, Persistence.Entities.Opinion opinion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(opinion);
        await turn.BeginDialogAsync(DialogName, new Intent(IntentNames.ReviseOpinion, RevisePrefix + opinion.Id), cancellationToken);
        var values = turn.State.DialogValues;
        values[Keys.Revising] = opinion.Id;
        values[Keys.Title] = opinion.Title;
        values[Keys.Content] = opinion.Content;
        if (opinion.Category is { } category)
        {
            values[Keys.Category] = category;
        }

        turn.State.DialogStep = Steps.Summary;
        turn.Reply(OpinionTexts.Revising(opinion) + OpinionTexts.Summary(opinion.Title, opinion.Category, opinion.Content, OpinionText.Length(opinion.Content)));
    }

    /// <summary>The slot of the intent a revision begins the dialog with: its begin step then asks nothing.</summary>
    private const string RevisePrefix = "revise:";

    private static readonly HashSet<string> DoneWords = Words(
        "完成", "好了", "写好了", "发完了", "写完了", "完了", "完毕", "就这些", "就这么多", "就这样", "没有了", "没了", "结束", "结束了", "ok", "done", "已完成", "完成了");

    /// <summary>The words that take a draft put aside up again (TurnHandler's): never a paragraph of the report.</summary>
    private static readonly HashSet<string> GoOnWords = Words("继续", "继续填写", "继续写", "接着填", "接着写", "接着填写", "恢复", "继续填");

    private static readonly HashSet<string> YesWords = Words("是", "是的", "对", "对的", "好", "好的", "可以", "行", "嗯", "确认", "确定", "就这个", "用这个", "没问题", "ok", "1");

    private static readonly HashSet<string> NoWords = Words("不", "不是", "不对", "不行", "换一个", "换个", "重新写", "我自己写", "2");

    private static readonly HashSet<string> SkipWords = Words("跳过", "不选", "不用", "不需要", "不分类", "无", "没有", "略", "0", "不用了", "不需要分类");

    private static readonly HashSet<string> ConfirmWords = Words("1", "确认提交", "确认", "提交", "确定", "确定提交", "是", "好", "好的", "可以", "没问题", "对", "发送", "报送", "确认报送");

    private static readonly HashSet<string> EditTitleWords = Words(
        "2", "修改标题", "改标题", "标题", "重写标题", "换标题", "改一下标题", "修改一下标题", "标题改一下", "标题要改", "标题写错了", "标题错了", "我要改标题", "我想改标题");

    private static readonly HashSet<string> EditContentWords = Words(
        "3", "修改内容", "改内容", "修改正文", "改正文", "内容", "正文", "重写内容", "重写正文", "改一下内容", "改一下正文", "修改一下内容", "修改一下正文",
        "内容改一下", "正文改一下", "内容写错了", "正文写错了", "我要改内容", "我想改内容", "我要改正文", "我想改正文");

    private static readonly HashSet<string> EditCategoryWords = Words("修改类别", "改类别", "修改分类", "改分类", "类别");

    private static readonly HashSet<string> CancelWords = Words("4", "取消提交", "不提交", "不提交了", "不报了");

    public string Name => DialogName;

    public TimeSpan Timeout => options.Value.DialogTimeout;

    public string Title => OpinionTexts.DialogTitle;

    public Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken)
    {
        if (intent.Slot?.StartsWith(RevisePrefix, StringComparison.Ordinal) == true)
        {
            // ReviseAsync puts the report in place and shows it.
            return Task.FromResult(DialogStatus.Waiting);
        }

        // "我要提交社情民意，标题：…，内容：…": the whole report in one message is taken as its title and first paragraph.
        if (WholeReport().Match(dialog.Text) is { Success: true } whole
            && OpinionText.CleanTitle(whole.Groups["title"].Value) is var title && ValidateTitle(title) is null)
        {
            dialog.Values[Keys.Title] = title;
            StartContent(dialog);
            dialog.Reply(OpinionTexts.TitleFromOneMessage(title));
            TakeContent(dialog, whole.Groups["content"].Value.Trim());
            return Task.FromResult(DialogStatus.Waiting);
        }

        var offered = intent.Slot is null ? null : OfferableTitle(intent.Slot);
        if (offered is null)
        {
            dialog.Step = Steps.Title;
            dialog.Reply(OpinionTexts.AskTitle);
        }
        else
        {
            dialog.Values[Keys.OfferedTitle] = offered;
            dialog.Step = Steps.ConfirmOfferedTitle;
            dialog.Reply(OpinionTexts.OfferTitle(offered));
        }

        return Task.FromResult(DialogStatus.Waiting);
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        switch (dialog.Step)
        {
            case Steps.ConfirmOfferedTitle:
                if (YesWords.Contains(TextNormalizer.Normalize(dialog.Text)) && dialog.Values.TryGetValue(Keys.OfferedTitle, out var offered))
                {
                    AcceptTitle(dialog, offered);
                    return DialogStatus.Waiting;
                }

                if (NoWords.Contains(TextNormalizer.Normalize(dialog.Text)))
                {
                    dialog.Values.Remove(Keys.OfferedTitle);
                    dialog.Step = Steps.Title;
                    dialog.Reply(OpinionTexts.AskNewTitle);
                    return DialogStatus.Waiting;
                }

                TakeTitle(dialog);
                return DialogStatus.Waiting;
            case Steps.Title:
                TakeTitle(dialog);
                return DialogStatus.Waiting;
            case Steps.Content:
                TakeContent(dialog, dialog.Text);
                return DialogStatus.Waiting;
            case Steps.Category:
                TakeCategory(dialog);
                return DialogStatus.Waiting;
            case Steps.Summary:
                return await TakeSummaryChoiceAsync(dialog, cancellationToken);
            default:
                // A step number from an older version of this dialog: start over rather than guess.
                dialog.Values.Clear();
                dialog.Step = Steps.Title;
                dialog.Reply(OpinionTexts.AskTitle);
                return DialogStatus.Waiting;
        }
    }

    public string Help(DialogContext dialog) => dialog.Step switch
    {
        Steps.ConfirmOfferedTitle when dialog.Values.TryGetValue(Keys.OfferedTitle, out var offered) => OpinionTexts.HelpOfferedTitle(offered),
        Steps.Content => OpinionTexts.HelpContent(OpinionText.Length(dialog.Values.GetValueOrDefault(Keys.Buffer, string.Empty)), ContentMinLength, ContentMaxLength),
        Steps.Category => OpinionTexts.HelpCategory,
        Steps.Summary => OpinionTexts.HelpSummary + "\n\n" + SummaryOf(dialog),
        _ => OpinionTexts.HelpTitle(TitleMaxLength),
    };

    public string? Draft(DialogContext dialog)
    {
        if (!dialog.Values.ContainsKey(Keys.Title))
        {
            return null;
        }

        var hasContent = !string.IsNullOrEmpty(dialog.Values.GetValueOrDefault(Keys.Content)) || !string.IsNullOrEmpty(dialog.Values.GetValueOrDefault(Keys.Buffer));
        return hasContent ? OpinionTexts.DraftTitleAndContent : OpinionTexts.DraftTitle;
    }

    /// <summary>"结束" after the last paragraph means done, and "不用了" to the optional category means none.</summary>
    public bool TakesAsAnswer(DialogContext dialog) => dialog.Step switch
    {
        Steps.Content => DoneWords.Contains(TextNormalizer.Normalize(dialog.Text)),
        Steps.Category => SkipWords.Contains(TextNormalizer.Normalize(dialog.Text)),
        _ => false,
    };

    /// <summary>A topic from "…，关于小区停车难" as a title to offer, or null when it would not pass as a title.</summary>
    private static string? OfferableTitle(string topic)
    {
        var title = OpinionText.CleanTitle(topic);
        if (!title.StartsWith("关于", StringComparison.Ordinal))
        {
            title = "关于" + title;
        }

        return ValidateTitle(title) is null ? title : null;
    }

    private static void TakeTitle(DialogContext dialog)
    {
        var title = OpinionText.CleanTitle(dialog.Text);
        var problem = ValidateTitle(title);
        if (problem is not null)
        {
            dialog.Reply(problem);
            return;
        }

        AcceptTitle(dialog, title);
    }

    private static string? ValidateTitle(string title)
    {
        // "完成" here is a member ahead of the steps, not a title.
        if (title.Length == 0 || DoneWords.Contains(TextNormalizer.Normalize(title)))
        {
            return OpinionTexts.TitleEmpty;
        }

        if (!OpinionText.HasWords(title, 1))
        {
            return OpinionTexts.TitleNoWords;
        }

        var length = OpinionText.Length(title);
        if (length > TitleMaxLength)
        {
            return OpinionTexts.TitleTooLong(length, TitleMaxLength);
        }

        return OpinionText.HasWords(title, TitleMinWords) ? null : OpinionTexts.TitleTooShort;
    }

    private static void AcceptTitle(DialogContext dialog, string title)
    {
        dialog.Values[Keys.Title] = title;
        dialog.Values.Remove(Keys.OfferedTitle);
        if (dialog.Values.Remove(Keys.Editing))
        {
            ShowSummary(dialog);
            return;
        }

        StartContent(dialog);
        dialog.Reply(OpinionTexts.AskContent(title, ContentMinLength, ContentMaxLength));
    }

    private static void StartContent(DialogContext dialog)
    {
        dialog.Values[Keys.Buffer] = string.Empty;
        dialog.Values[Keys.Parts] = "0";
        dialog.Step = Steps.Content;
    }

    private static void TakeContent(DialogContext dialog, string text)
    {
        var buffer = dialog.Values.GetValueOrDefault(Keys.Buffer, string.Empty);
        if (DoneWords.Contains(TextNormalizer.Normalize(text)))
        {
            FinishContent(dialog, buffer);
            return;
        }

        if (GoOnWords.Contains(TextNormalizer.Normalize(text)))
        {
            // "继续" is what the member was told to say to take the draft up; said when it is up already, it is no text.
            dialog.Reply(OpinionTexts.HelpContent(OpinionText.Length(buffer), ContentMinLength, ContentMaxLength));
            return;
        }

        if (text.Length == 0 || (!OpinionText.HasWords(text, 1) && OpinionText.Length(text) < 2))
        {
            dialog.Reply(OpinionTexts.ContentEmptyPart);
            return;
        }

        var current = OpinionText.Length(buffer);
        var adding = OpinionText.Length(text);

        // One line break between messages (the member split one text to get it through, not into paragraphs); it is no 字.
        if (current + adding > ContentMaxLength)
        {
            dialog.Reply(OpinionTexts.ContentTooLong(current, adding, ContentMaxLength));
            return;
        }

        buffer = buffer.Length == 0 ? text : buffer + "\n" + text;
        var parts = int.Parse(dialog.Values.GetValueOrDefault(Keys.Parts, "0"), CultureInfo.InvariantCulture) + 1;
        dialog.Values[Keys.Buffer] = buffer;
        dialog.Values[Keys.Parts] = parts.ToString(CultureInfo.InvariantCulture);
        dialog.Reply(OpinionTexts.ContentReceived(parts, OpinionText.Length(buffer), ContentMinLength));
    }

    private static void FinishContent(DialogContext dialog, string buffer)
    {
        if (buffer.Length == 0)
        {
            dialog.Reply(OpinionTexts.ContentNothingYet);
            return;
        }

        var length = OpinionText.Length(buffer);
        if (length < ContentMinLength)
        {
            dialog.Reply(OpinionTexts.ContentTooShort(length, ContentMinLength));
            return;
        }

        dialog.Values[Keys.Content] = buffer;
        dialog.Values.Remove(Keys.Buffer);
        dialog.Values.Remove(Keys.Parts);
        if (dialog.Values.Remove(Keys.Editing))
        {
            ShowSummary(dialog);
            return;
        }

        dialog.Step = Steps.Category;
        dialog.Reply(OpinionTexts.AskCategory(length));
    }

    private static void TakeCategory(DialogContext dialog)
    {
        var answer = TextNormalizer.Normalize(dialog.Text);
        if (SkipWords.Contains(answer))
        {
            dialog.Values.Remove(Keys.Category);
        }
        else if (OpinionCategories.Parse(answer) is { } category)
        {
            dialog.Values[Keys.Category] = category;
        }
        else if (!answer.All(char.IsAsciiDigit) && EditTitleWords.Contains(answer))
        {
            // "改一下标题" where the category is asked: the title is changed, then the summary shows it all.
            dialog.Values[Keys.Editing] = "1";
            dialog.Step = Steps.Title;
            dialog.Reply(OpinionTexts.AskNewTitle);
            return;
        }
        else if (!answer.All(char.IsAsciiDigit) && EditContentWords.Contains(answer))
        {
            dialog.Values[Keys.Editing] = "1";
            StartContent(dialog);
            dialog.Reply(OpinionTexts.AskNewContent(ContentMinLength, ContentMaxLength));
            return;
        }
        else
        {
            dialog.Reply(OpinionTexts.CategoryUnknown);
            return;
        }

        dialog.Values.Remove(Keys.Editing);
        ShowSummary(dialog);
    }

    private static void ShowSummary(DialogContext dialog)
    {
        dialog.Step = Steps.Summary;
        dialog.Reply(SummaryOf(dialog));
    }

    private static string SummaryOf(DialogContext dialog)
    {
        var content = dialog.Values.GetValueOrDefault(Keys.Content, string.Empty);
        return OpinionTexts.Summary(
            dialog.Values.GetValueOrDefault(Keys.Title, string.Empty),
            dialog.Values.GetValueOrDefault(Keys.Category),
            content,
            OpinionText.Length(content));
    }

    private async Task<DialogStatus> TakeSummaryChoiceAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        var answer = TextNormalizer.Normalize(dialog.Text);
        if (ConfirmWords.Contains(answer))
        {
            return await SubmitAsync(dialog, cancellationToken);
        }

        if (EditTitleWords.Contains(answer))
        {
            dialog.Values[Keys.Editing] = "1";
            dialog.Step = Steps.Title;
            dialog.Reply(OpinionTexts.AskNewTitle);
            return DialogStatus.Waiting;
        }

        if (EditContentWords.Contains(answer))
        {
            dialog.Values[Keys.Editing] = "1";
            StartContent(dialog);
            dialog.Reply(OpinionTexts.AskNewContent(ContentMinLength, ContentMaxLength));
            return DialogStatus.Waiting;
        }

        if (EditCategoryWords.Contains(answer))
        {
            dialog.Values[Keys.Editing] = "1";
            dialog.Step = Steps.Category;
            dialog.Reply(OpinionTexts.HelpCategory);
            return DialogStatus.Waiting;
        }

        if (CancelWords.Contains(answer))
        {
            dialog.Reply(BotTexts.DialogCancelled(Title));
            return DialogStatus.Complete;
        }

        dialog.Reply(OpinionTexts.SummaryUnknown);
        return DialogStatus.Waiting;
    }

    private async Task<DialogStatus> StoreAsync(DialogContext dialog, OpinionDraft draft, CancellationToken cancellationToken)
    {
        var caller = dialog.Turn.Caller;
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<OpinionService>();
        if (dialog.Values.GetValueOrDefault(Keys.Revising) is { } revising)
        {
            dialog.Reply(await service.ResubmitAsync(caller.MemberId!, revising, draft, cancellationToken)
                ? OpinionTexts.Resubmitted(revising, draft.Title)
                : OpinionTexts.ResubmitFailed(revising));
            return DialogStatus.Complete;
        }

        var trackingNumber = await service.SubmitAsync(caller.MemberId!, draft, cancellationToken);
        dialog.Reply(OpinionTexts.Submitted(trackingNumber, draft.Title));
        return DialogStatus.Complete;
    }

    private Task<DialogStatus> SubmitAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        if (dialog.Turn.Caller.MemberId is null)
        {
            // Only members start this dialog; a roster change mid-dialog must not store a report without a member.
            dialog.Reply(OpinionTexts.MembersOnly);
            return Task.FromResult(DialogStatus.Complete);
        }

        var title = dialog.Values.GetValueOrDefault(Keys.Title);
        var content = dialog.Values.GetValueOrDefault(Keys.Content);
        if (string.IsNullOrEmpty(title) || string.IsNullOrEmpty(content))
        {
            // Cannot happen through the steps; if the state was damaged, ask again rather than store half a report.
            dialog.Values.Clear();
            dialog.Step = Steps.Title;
            dialog.Reply(OpinionTexts.AskTitle);
            return Task.FromResult(DialogStatus.Waiting);
        }

        var draft = new OpinionDraft(title, content, dialog.Values.GetValueOrDefault(Keys.Category));
        return StoreAsync(dialog, draft, cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"标题\s*[:：]\s*(?<title>[^\n，,；;]+?)\s*[，,；;\n]\s*(?:正文|内容)\s*[:：]\s*(?<content>.+)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex WholeReport();

    private static HashSet<string> Words(params string[] words) =>
        new(words.Select(TextNormalizer.Normalize), StringComparer.OrdinalIgnoreCase);
}
