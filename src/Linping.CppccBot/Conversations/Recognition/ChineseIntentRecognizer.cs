using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Linping.CppccBot.Conversations.Recognition;

/// <summary>
/// Rule-based recognition of what members type, tuned on the phrasings in the fixtures' utterance table and the
/// many ways to say the same: colloquial, with typos, full-width digits, extra words. Rules are ordered from the most
/// specific (a proposal number, "取消报名") to the most general ("会议").
/// </summary>
public sealed partial class ChineseIntentRecognizer : IIntentRecognizer
{
    private static readonly HashSet<string> CancelCommands = Commands(
    [
        "取消", "算了", "不弄了", "算了不弄了", "算了不要了", "不要了", "不填了", "不写了", "不报了", "退出", "放弃",
        "结束", "停止", "先不弄了", "不用了", "我要退出", "退出吧", "不搞了", "先不搞了", "不整了", "不办了", "先不办了", "cancel", "quit", "exit", "q",
    ]);

    private static readonly HashSet<string> HelpCommands = Commands(
    [
        "帮助", "帮组", "help", "?", "菜单", "怎么用", "咋用", "怎么用这个", "这个怎么用", "这个咋用", "怎么弄", "怎么填", "不会填", "说明", "使用说明", "你能做什么", "你会什么", "功能", "h",
        "你是谁", "你是谁啊", "您是谁", "你是什么", "你是机器人", "你是人工智能", "你是真人", "你是人还是机器人", "你叫什么", "你叫什么名字",
    ]);

    private static readonly HashSet<string> Thanks = Commands(
    [
        "谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "非常感谢", "十分感谢", "谢啦", "谢了", "好的谢谢", "好的谢谢你", "好的谢谢您", "收到谢谢",
        "辛苦了", "辛苦", "辛苦啦", "麻烦了", "好的辛苦了", "thanks", "thank you", "thx",
        "收到", "好的", "好", "好滴", "知道了", "明白了", "了解", "了解了", "ok", "okay", "嗯", "嗯嗯", "好嘞", "行",
        "晚安", "再见", "拜拜", "哈哈", "哈哈哈", "呵呵",
    ]);

    private static readonly HashSet<string> Greetings = Commands(["你好", "您好", "hi", "hello", "在吗", "在不在", "早上好", "下午好", "晚上好", "嗨", "哈喽", "你好啊"]);

    /// <summary>Slips of the pinyin keyboard in the words the rules look for ("我的提按" is "我的提案").</summary>
    private static readonly (string Typo, string Word)[] Typos =
        [("提按", "提案"), ("题案", "提案"), ("提桉", "提案"), ("提安", "提案"), ("报铭", "报名"), ("抱名", "报名"), ("包名", "报名"), ("社情明意", "社情民意"), ("社情名意", "社情民意"), ("清假", "请假")];

    /// <summary>Words of 沪杭 speech members type as they speak: "阿拉也想去" is "我也想去", "侬帮我看看" is "你帮我看看".</summary>
    private static readonly (string Dialect, string Word)[] DialectWords = [("阿拉", "我"), ("侬", "你"), ("伐晓得", "不知道")];

    public Intent Recognize(string text)
    {
        var t = TextNormalizer.Normalize(text);
        foreach (var (typo, word) in Typos)
        {
            t = t.Replace(typo, word, StringComparison.Ordinal);
        }

        foreach (var (dialect, word) in DialectWords)
        {
            t = t.Replace(dialect, word, StringComparison.Ordinal);
        }

        // "还有位子伐", "好伐": 伐 ends a question as 吗 does ("砍伐", "步伐" are words).
        t = DialectQuestionEndPattern().Replace(t, string.Empty);

        // "报明大运河" is 报名; "天气预报明天", "通报明确" are not.
        t = BaoMingTypoPattern().Replace(t, "报名");

        // "常委会请家" is 请假; "邀请家长", "申请家庭医生" are not.
        t = QingJiaTypoPattern().Replace(t, "请假");

        if (t.Length == 0)
        {
            // "👍", "🙏", "👌": an emoji alone acknowledges what was said, as "好的" does; punctuation alone ("?") asks for help.
            return IsOnlyEmoji(text) ? new Intent(IntentNames.Thanks) : new Intent(IntentNames.Help);
        }

        if (CancelCommands.Contains(t) || t.StartsWith("算了", StringComparison.Ordinal))
        {
            return new Intent(IntentNames.Cancel);
        }

        if (Thanks.Contains(t) || Thanks.Contains(string.Concat(t.Where(c => !char.IsPunctuation(c)))) || IsOnlyThanks(t))
        {
            return new Intent(IntentNames.Thanks);
        }

        // "帮我报下名大运河视察吧谢谢": thanks after a request are no part of it.
        t = TrailingThanksPattern().Replace(t, string.Empty);

        // "你好 我想请假", "小助手在吗 我想查下提案": a greeting before a request is no request for the menu; before
        // words asking nothing yet ("你好，我想问一下") it is a greeting.
        if (GreetingPrefixPattern().Match(t) is { Success: true } greeting && greeting.Length < t.Length)
        {
            return Recognize(t[greeting.Length..]) is { Name: not IntentNames.None } request ? request : new Intent(IntentNames.Help);
        }

        if (HelpCommands.Contains(t) || Greetings.Contains(t)
            || ((t.StartsWith("你好", StringComparison.Ordinal) || t.StartsWith("您好", StringComparison.Ordinal)) && t.Length <= 6)
            || TextNormalizer.ContainsAny(t, "帮助", "能做什么", "能干什么", "能干啥", "能做啥", "会做什么", "会干啥", "怎么使用", "功能菜单", "使用帮助", "有什么功能", "有哪些功能"))
        {
            return new Intent(IntentNames.Help);
        }

        if (IsAskingForAPerson(t))
        {
            return new Intent(IntentNames.HumanAgent);
        }

        return RecognizeLeaveDecision(t) ?? RecognizeListPick(t) ?? RecognizeEvaluation(t, text) ?? RecognizeOpinion(t) ?? RecognizeProposal(t) ?? RecognizeMeeting(t, text, AsksAboutOwnPart(text)) ?? Intent.None;
    }

    /// <summary>
    /// "转人工", "人工客服", "我要找人工": a short message asking for a person. A proposal's title words ("人工智能",
    /// "关于增加人工服务窗口的提案") are not.
    /// </summary>
    private static bool IsAskingForAPerson(string t) =>
        t.Length <= 12 && !t.Contains("提案", StringComparison.Ordinal)
        && TextNormalizer.ContainsAny(t, "转人工", "找人工", "接人工", "要人工", "人工客服", "人工服务", "人工坐席", "真人客服", "找真人");

    private static bool IsOnlyEmoji(string text)
    {
        var emoji = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            emoji |= category == UnicodeCategory.OtherSymbol;
            if (!Rune.IsWhiteSpace(rune) && category is not (UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.Format
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
            {
                return false;
            }
        }

        return emoji;
    }

    /// <summary>
    /// "好的知道了", "谢谢你啊小助手", "嗯嗯好的收到": nothing but thanks and acknowledgements strung together, as said
    /// by voice or typed on a phone.
    /// </summary>
    private static bool IsOnlyThanks(string t) =>
        t.Length <= 16 && ThanksWordsPattern().IsMatch(t) && ThanksAndFillersPattern().Replace(t, string.Empty).Length == 0;

    /// <summary>
    /// Staff deciding a leave request by its number in the list ("批准 1", "不批准 2 原因…"), before anything else: the
    /// reason is free text that may hold any other words ("会议", "反映情况").
    /// </summary>
    private static Intent? RecognizeLeaveDecision(string t)
    {
        // "不批准 1 本次需全体出席": these verbs are only ever a leave decision, so any reason may follow the number.
        var rejection = LeaveRejectionPattern().Match(t);
        if (rejection.Success)
        {
            return new Intent(IntentNames.RejectLeave, t[rejection.Groups["verb"].Length..]);
        }

        var decision = LeaveDecisionPattern().Match(t);
        return decision.Success
            ? new Intent(decision.Groups["no"].Success ? IntentNames.RejectLeave : IntentNames.ApproveLeave, t[decision.Groups["verb"].Length..])
            : null;
    }

    /// <summary>The slot of a <see cref="IntentNames.ProposalSearch"/> that picks an entry of the last list ("#2").</summary>
    public const string ListPickPrefix = "#";

    /// <summary>The 1-based entry a list-pick slot names, or null when the slot is search words.</summary>
    /// <summary>
    /// Every proposal number written with 号 in <paramref name="text"/>, in order and once each ("12号和41号提案" is 12
    /// and 41), with the session written before it or before an earlier number ("一届五次第0012号和二届一次第0012号" are
    /// two proposals, "一届五次第0012号和第0013号" both of 一届五次); a day of a date ("11月30号") is none.
    /// </summary>
    public static IReadOnlyList<(string? Session, int Serial)> ProposalNumbers(string text)
    {
        var t = TextNormalizer.Normalize(text);
        string? session = null;
        var numbers = new List<(string? Session, int Serial)>();
        // "12、41号": a number listed before one with 号 is a proposal number too.
        var matches = ProposalNumberPattern().Matches(t).Where(m => m.Index == 0 || t[m.Index - 1] != '月').Cast<Match>()
            .Concat(ListedNumberPattern().Matches(t).Where(m => m.Index == 0 || t[m.Index - 1] != '月'))
            .OrderBy(m => m.Index);
        foreach (var match in matches)
        {
            session = match.Groups["session"].Success ? match.Groups["session"].Value : session;
            if (ProposalNumber(match) is > 0 and var serial && !numbers.Contains((session, serial)))
            {
                numbers.Add((session, serial));
            }
        }

        return numbers;
    }

    public static int? ListPick(string? slot) =>
        slot is not null && slot.StartsWith(ListPickPrefix, StringComparison.Ordinal)
        && int.TryParse(slot.AsSpan(ListPickPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pick)
            ? pick
            : null;

    /// <summary>
    /// "2", "看第2个", "第二个": an entry of the numbered list the member saw last. Only the whole message counts,
    /// so "2号" stays a proposal number and "第二次常委会" a meeting. <c>ListPickHandler</c> finds the list.
    /// </summary>
    private static Intent? RecognizeListPick(string t)
    {
        var pick = ListPickPattern().Match(t);
        if (!pick.Success)
        {
            return null;
        }

        var value = pick.Groups["digits"].Success
            ? int.Parse(pick.Groups["digits"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : TextNormalizer.ParseChineseNumber(pick.Groups["chinese"].Value);
        return value is > 0 ? new Intent(IntentNames.ListPick, value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>Commands are compared in their normalised form, so "取消！" and "算了不弄了" match as typed.</summary>
    private static HashSet<string> Commands(IEnumerable<string> commands) =>
        new(commands.Select(TextNormalizer.Normalize), StringComparer.OrdinalIgnoreCase);

    public Intent RecognizeInterrupt(string text)
    {
        var t = TextNormalizer.Normalize(text);
        if (CancelCommands.Contains(t))
        {
            return new Intent(IntentNames.Cancel);
        }

        return HelpCommands.Contains(t) ? new Intent(IntentNames.Help) : Intent.None;
    }

    /// <summary>Words that make a message about proposals 我的提案, longest of a kind first (我的那个提案 before 我的提案).</summary>
    private static readonly string[] MyProposalsWords =
    [
        "我的那个提案", "我的那件提案", "我的几个提案", "我的的提案", "我那几个提案", "我那个提案", "我那件提案", "我那些提案", "我们的提案", "我的提案",
        "我提交的", "我提的", "我提了", "我提过", "我写的", "我交的", "我领衔", "我联名", "我得提案", "我参与的",
    ];

    /// <summary>Requests that may stand beside another in one message.</summary>
    private static readonly HashSet<string> SeveralRequestIntents =
    [
        IntentNames.ListMeetings, IntentNames.MeetingDetails, IntentNames.SignUp, IntentNames.CancelSignUp, IntentNames.RequestLeave, IntentNames.MySignUps, IntentNames.CheckIn,
        IntentNames.ProposalByNumber, IntentNames.ProposalSearch, IntentNames.MyProposals, IntentNames.SubmitOpinion, IntentNames.MyOpinions,
        IntentNames.EvaluateProposal,
    ];

    /// <summary>Requests whose words go on after them: a leave note, a report, an evaluation's comment may say anything.</summary>
    private static readonly HashSet<string> FreeTextIntents = [IntentNames.RequestLeave, IntentNames.SubmitOpinion, IntentNames.EvaluateProposal];

    private static readonly HashSet<string> MeetingActionIntents = [IntentNames.SignUp, IntentNames.CancelSignUp, IntentNames.RequestLeave];

    /// <summary>Requests about meetings that say which by the words around them when they name none ("大运河视察，几点集合").</summary>
    private static readonly HashSet<string> MeetingWordsIntents = [IntentNames.SignUp, IntentNames.CancelSignUp, IntentNames.RequestLeave, IntentNames.MeetingDetails];

    /// <summary>Requests that are whole without a slot, so a space after them may begin another request ("我的会议 查提案12号").</summary>
    private static readonly HashSet<string> WholeWithoutSlotIntents = [IntentNames.ListMeetings, IntentNames.MySignUps, IntentNames.CheckIn, IntentNames.MyProposals, IntentNames.MyOpinions];

    /// <summary>How many requests of one message are taken up.</summary>
    private const int MaxRequests = 3;

    public IReadOnlyList<Request> RecognizeRequests(string text)
    {
        // The clauses between breaks, as (start, end) in the text.
        var clauses = new List<(int Start, int End)>();
        var from = 0;
        foreach (Match separator in RequestBreakPattern().Matches(text))
        {
            clauses.Add((from, separator.Index));
            from = separator.Index + separator.Length;
        }

        clauses.Add((from, text.Length));
        clauses.RemoveAll(c => TextNormalizer.Normalize(text[c.Start..c.End]).Length == 0);
        if (BothMeetings(text.Trim()) is { } both)
        {
            return both;
        }

        clauses = SplitAtSpaces(text, clauses);
        if (clauses.Count < 2)
        {
            return [];
        }

        // Each request's words run to the next request, so a clause that is no request of its own stays with the one
        // before it ("常委会请假，家里有事"), and so does a question about seats naming no meeting ("报名大运河视察，不知道
        // 还有没有名额"): the sign-up answers it.
        var found = clauses.Select(c => (c.Start, c.End, Intent: Recognize(text[c.Start..c.End])))
            .Where(c => SeveralRequestIntents.Contains(c.Intent.Name)
                && !(c.Intent is { Name: IntentNames.ListMeetings, Slot: null } && SeatsQuestionPattern().IsMatch(TextNormalizer.Normalize(text[c.Start..c.End]))))
            .ToList();
        var requests = new List<Request>();
        for (var i = 0; i < found.Count; i++)
        {
            var end = i + 1 < found.Count ? found[i + 1].Start : text.Length;
            var words = TrailingBreakPattern().Replace(text[found[i].Start..end], string.Empty).Trim();
            requests.Add(new Request(found[i].Intent, words));
        }

        // One request said twice ("取消报名，我不去了"), or in words that go on ("常委会请假，下午要去开会"), is one request;
        // so is a meeting action naming no meeting beside other words about meetings ("明天的会去不了，帮我请个假",
        // "最近有什么会，我想报名"): the whole message says which.
        var several = requests.Count is >= 2 and <= MaxRequests
            && requests.GroupBy(r => r.Intent.Name, StringComparer.Ordinal).All(g => g.Count() == 1 || AreOtherMeetings(g))
            && !FreeTextIntents.Contains(requests[0].Intent.Name)
            && !requests.Any(r => MeetingWordsIntents.Contains(r.Intent.Name) && r.Intent.Slot is null
                && requests.Any(o => o != r && (MeetingWordsIntents.Contains(o.Intent.Name) || o.Intent.Name is IntentNames.ListMeetings or IntentNames.MySignUps)));
        if (!several)
        {
            return [];
        }

        // "报名明天的会，还有大运河那个也报名": as for "A和B都报名", a meeting named by a day alone is confirmed before
        // anything is done, so the meetings named by their titles go first and both are done once it is confirmed.
        return requests.All(r => r.Intent.Name == requests[0].Intent.Name) && MeetingActionIntents.Contains(requests[0].Intent.Name)
            ? [.. requests.OrderBy(r => DayAlonePattern().IsMatch(r.Intent.Slot ?? string.Empty))]
            : requests;
    }

    /// <summary>
    /// "报名大运河视察 查一下我的提案": voice input puts a space, not a comma, between two requests. A space splits a
    /// clause only where the words before it are a whole request (its slot said, or one that needs none) and the words
    /// after it are a request too; "查提案 12号", "报名 2", "请假 第二十六次常委会 孙子发烧" and "12号提案 满意" (one
    /// evaluation) stay one.
    /// </summary>
    private List<(int Start, int End)> SplitAtSpaces(string text, List<(int Start, int End)> clauses)
    {
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.ContainsAny(Spaces) || FreeTextIntents.Contains(Recognize(text).Name))
        {
            return clauses;
        }

        var split = new List<(int Start, int End)>(clauses.Count + 1);
        foreach (var (start, end) in clauses)
        {
            var from = start;
            foreach (Match space in SpacesPattern().Matches(text, start))
            {
                if (space.Index >= end)
                {
                    break;
                }

                var after = space.Index + space.Length;
                if (TextNormalizer.Normalize(text[from..space.Index]).Length > 0 && after < end
                    && Recognize(text[from..space.Index]) is var before && SeveralRequestIntents.Contains(before.Name)
                    && (before.Slot is not null || WholeWithoutSlotIntents.Contains(before.Name))
                    && SeveralRequestIntents.Contains(Recognize(text[after..end]).Name))
                {
                    split.Add((from, space.Index));
                    from = after;
                }
            }

            split.Add((from, end));
        }

        return split;
    }

    private static readonly System.Buffers.SearchValues<char> Spaces = System.Buffers.SearchValues.Create(" \u3000\t");

    [GeneratedRegex("[ \u3000\t]+")]
    private static partial Regex SpacesPattern();

    /// <summary>
    /// The same meeting action said of different meetings ("报名大运河视察，还有生物医药那个也报名"): each names a
    /// meeting of its own, so each is a request. Said again of none ("取消报名，我不去了") it stays one.
    /// </summary>
    private static bool AreOtherMeetings(IGrouping<string, Request> same) =>
        MeetingActionIntents.Contains(same.Key)
        && same.All(r => r.Intent.Slot is { Length: >= 2 })
        && same.Select(r => r.Intent.Slot).Distinct(StringComparer.Ordinal).Count() == same.Count();

    /// <summary>
    /// "明天的会和大运河视察都报名": one meeting action for two meetings, as two requests ("明天的会报名",
    /// "大运河视察报名"), each with its own words (a day said of one is not said of the other). Null for anything else.
    /// </summary>
    private List<Request>? BothMeetings(string text)
    {
        var both = BothMeetingsPattern().Match(text);
        if (!both.Success)
        {
            return null;
        }

        // A meeting named by a day alone ("明天的会") is confirmed before anything is done: the one named by its title
        // goes first, so that it is done and the question comes last.
        var rest = both.Groups["rest"].Value;
        var (a, b) = (both.Groups["a"].Value, both.Groups["b"].Value);
        var requests = (DayAlonePattern().IsMatch(a) && !DayAlonePattern().IsMatch(b) ? new[] { b + rest, a + rest } : [a + rest, b + rest])
            .Select(words => new Request(Recognize(words), words))
            .ToList();
        return requests.All(r => MeetingActionIntents.Contains(r.Intent.Name) && r.Intent.Name == requests[0].Intent.Name)
            && AreOtherMeetings(requests.GroupBy(r => r.Intent.Name, StringComparer.Ordinal).Single())
                ? requests
                : null;
    }

    /// <summary>"A和B都报名", "A还有B都报名", "A跟B都去不了": two meetings, then 都 and what to do with both.</summary>
    [GeneratedRegex("^(?<a>[^，,。；;！!？?、和跟与及]{2,}?)(?:和|跟|与|及|、|还有)(?<b>[^，,。；;！!？?、和跟与及]{2,}?)(?:两个|两场|俩)?都(?<rest>[^，,。；;！!？?]{2,})$")]
    private static partial Regex BothMeetingsPattern();

    /// <summary>A meeting named by nothing but a day ("明天的会", "下周三那个", "3月25号的会议").</summary>
    [GeneratedRegex("^(?:今天|明天|后天|下个?周[一二三四五六日天]?|这个?周[一二三四五六日天]?|本周[一二三四五六日天]?|周[一二三四五六日天]|下个?星期[一二三四五六日天]?|星期[一二三四五六日天]|(?:\\d{1,2}月)?\\d{1,2}[号日])(?:上午|下午|晚上)?(?:的|那个|那场)*(?:会|会议|活动)?$")]
    private static partial Regex DayAlonePattern();

    public Intent RecognizeEvent(InboundMessage message)
    {
        switch (message.EventName)
        {
            case "enter_agent" or "subscribe":
                return new Intent(IntentNames.Greeting);
            case "click":
                return MenuKeys.ToIntent(message.EventKey);
            case "template_card_event":
                return CardKeys.ToIntent(message.EventKey);
            default:
                return Intent.None;
        }
    }

    /// <summary>
    /// "评价 12 满意", "评价提案", "对12号提案的答复满意", "12号提案满意", a bare "不满意" (the answer to a request to
    /// evaluate), "提案满意度测评": the slot keeps the rest of the words (number, level, comment) for the evaluation
    /// handler to read. "评价" alone about a meeting or a report is not this, nor a question ("12号提案满意吗") or
    /// 满意 about something else ("群众对物业不满意").
    /// </summary>
    private static Intent? RecognizeEvaluation(string t, string raw)
    {
        var start = t.StartsWith("评价", StringComparison.Ordinal) || t.StartsWith("我要评价", StringComparison.Ordinal) || t.StartsWith("我想评价", StringComparison.Ordinal);
        // "评价" alone: members evaluate nothing but proposals here; the handler asks which.
        if (t is "评价" or "评价一下" or "我要评价" or "我想评价" or "我要评价一下" or "我想评价一下")
        {
            return new Intent(IntentNames.EvaluateProposal);
        }

        var aboutProposal = t.Contains("提案", StringComparison.Ordinal) || DigitsPattern().IsMatch(t) || EvaluationLevelPattern().IsMatch(t);
        var named = (start && aboutProposal) || (t.Contains("评价", StringComparison.Ordinal) && t.Contains("提案", StringComparison.Ordinal) && !t.Contains("我的提案", StringComparison.Ordinal));
        if (!named && !SaysEvaluationLevel(t, raw) && !TextNormalizer.ContainsAny(t, "满意度测评", "满意度评价", "提案测评", "测评提案"))
        {
            return null;
        }

        var rest = EvaluationNoisePattern().Replace(t, string.Empty);
        return new Intent(IntentNames.EvaluateProposal, rest.Length == 0 ? null : rest);
    }

    /// <summary>
    /// A level said of a proposal or its reply ("41号提案满意", "对提案答复不太满意"), or said alone ("满意", "很满意"),
    /// as members answer a request to evaluate. Not a question, and not 满意度 or 满意率.
    /// </summary>
    private static bool SaysEvaluationLevel(string t, string raw)
    {
        if (!EvaluationLevelPattern().IsMatch(t) || IsQuestion(raw) || TextNormalizer.ContainsAny(t, "满不满意", "是否满意", "满意吗"))
        {
            return false;
        }

        return BareEvaluationLevelPattern().IsMatch(t)
            || t.Contains("提案", StringComparison.Ordinal)
            || (ProposalNumberPattern().IsMatch(t) && !TextNormalizer.ContainsAny(t, "会", "活动", "社情", "信息"));
    }

    private static Intent? RecognizeOpinion(string t)
    {
        // A tracking number names one report; before the proposal rules, which would read its digits as a proposal.
        var revise = TextNormalizer.ContainsAny(t, "修改", "重新报送", "重新提交", "重报", "改一下", "改好");
        if (OpinionNumberPattern().Match(t) is { Success: true } number)
        {
            var id = $"SQMY-{number.Groups["year"].Value}-{number.Groups["sequence"].Value}";
            return new Intent(revise ? IntentNames.ReviseOpinion : IntentNames.OpinionDetail, id);
        }

        // Only the words before "关于" say what the member wants; after it comes the topic ("关于查处违建" is no lookup).
        var about = AboutPattern().Match(t);
        var request = about.Success ? t[..about.Index] : t;

        // "为什么退回了", "退回的信息怎么改": the report the office sent back (proposals are not returned to members).
        if (request.Contains("退回", StringComparison.Ordinal) && !t.Contains("提案", StringComparison.Ordinal))
        {
            return new Intent(revise || TextNormalizer.ContainsAny(request, "怎么改", "重新") ? IntentNames.ReviseOpinion : IntentNames.OpinionDetail);
        }

        var aboutOpinion = TextNormalizer.ContainsAny(t, "社情民意", "民意信息", "社情信息", "社情名意", "社情民义", "社清民意")
            || (TextNormalizer.ContainsAny(request, "信息") && TextNormalizer.ContainsAny(request, "报送", "报的", "报了", "提交的", "反映", "报个", "报一条", "上报", "提交", "采用", "我的信息"))
            || (TextNormalizer.ContainsAny(request, "反映") && TextNormalizer.ContainsAny(request, "情况", "问题", "意见", "民意") && !TextNormalizer.ContainsAny(t, "提案"));
        if (!aboutOpinion)
        {
            return null;
        }

        if (revise && !TextNormalizer.ContainsAny(request, "提交社情民意", "报送社情民意", "报一条", "报个"))
        {
            return new Intent(IntentNames.ReviseOpinion);
        }

        if (TextNormalizer.ContainsAny(request, "我的", "采用", "我报的", "我提交的", "我交的", "报过", "进度", "状态", "怎么样", "到哪", "查", "看看", "看一下", "记录", "列表"))
        {
            return new Intent(IntentNames.MyOpinions);
        }

        return new Intent(IntentNames.SubmitOpinion, about.Success ? about.Groups["topic"].Value : null);
    }

    private static Intent? RecognizeProposal(string t)
    {
        var number = ProposalNumberPattern().Match(t);
        var mentionsProposal = t.Contains("提案", StringComparison.Ordinal);
        // "查一下第12号": 第…号 names a proposal unless the words are about a meeting ("第3号会议室").
        var ordinal = number.Success && number.Value.StartsWith('第') && !TextNormalizer.ContainsAny(t, "会", "活动", "报名", "请假");
        // A session makes a number a proposal's, also one after the first ("12号和一届五次第0035号").
        var session = number.Success && ProposalNumberPattern().Matches(t).Any(m => m.Groups["session"].Success);
        if (number.Success && (mentionsProposal || ordinal || session || number.Groups["padded"].Success || number.Value.Length == t.Length || IsNumberList(t)))
        {
            return new Intent(IntentNames.ProposalByNumber, ProposalNumber(number).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // "提案编号0041", "案号:12", "提案#12", "No.12": a number after a word or sign that says it is one.
        if (LabelledNumberPattern().Match(t) is { Success: true } labelled
            && (mentionsProposal || labelled.Index == 0 && labelled.Length == t.Length || labelled.Groups["label"].Value is "案号" or "提案号"))
        {
            return new Intent(IntentNames.ProposalByNumber, int.Parse(labelled.Groups["digits"].Value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // "0012" alone: the four digits of a proposal number as printed (a list number has no leading zero).
        if (PaddedSerialPattern().Match(t) is { Success: true } padded)
        {
            return new Intent(IntentNames.ProposalByNumber, int.Parse(padded.Value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!mentionsProposal)
        {
            return null;
        }

        if (MyProposalsWords.FirstOrDefault(w => t.Contains(w, StringComparison.Ordinal)) is { } mine)
        {
            // "我提的那个数智城的提案": the words besides say which of them (the slot), if any.
            var which = MyProposalsFillerPattern().Replace(ProposalNoisePattern().Replace(t.Replace(mine, string.Empty, StringComparison.Ordinal), string.Empty), string.Empty);
            return new Intent(IntentNames.MyProposals, which.Length == 0 ? null : which);
        }

        // "提案办得哪能了", "提案有回复了吗": how proposals stand, said of none by name, asks about the member's own.
        var words = ProposalNoisePattern().Replace(t, string.Empty);
        return words.Length > 0 ? new Intent(IntentNames.ProposalSearch, words)
            : ProposalStatusPattern().IsMatch(t) ? new Intent(IntentNames.MyProposals)
            : new Intent(IntentNames.ProposalSearch);
    }

    /// <summary>
    /// "12号和41号", "12号 41号", "查一下12号、41号": nothing but several numbers with 号, as a bare "12号" is a proposal's.
    /// With a word to look them up ("查一下", "看看") one of them must be no day of a month ("看看12号和13号" may ask about
    /// those days); a month, a meeting or any other word makes them no proposal numbers.
    /// </summary>
    private static bool IsNumberList(string t)
    {
        var list = NumberListPattern().Match(t);
        if (!list.Success)
        {
            return false;
        }

        var numbers = ProposalNumbers(t);
        return numbers.Count > 1 && (list.Groups["verb"].Length == 0 || numbers.Any(n => n.Serial > 31));
    }

    /// <summary>
    /// True for a question ("明天的会报名了吗？", "我能不能参加"), read from the words as typed: normalising drops the
    /// final 吗 and question mark.
    /// </summary>
    private static bool IsQuestion(string text)
    {
        var raw = text.Trim().TrimEnd('。', '.', '!', '！', ' ');
        return raw.EndsWith('吗') || raw.EndsWith('伐') || raw.EndsWith('？') || raw.EndsWith('?') || raw.EndsWith('呢') || raw.EndsWith("没有", StringComparison.Ordinal) || raw.EndsWith('没')
            || TextNormalizer.ContainsAny(raw, "能不能", "要不要", "是不是", "用不用", "需不需要", "可不可以");
    }

    /// <summary>
    /// "明天的会报名了吗", "我要参加吗", "我能不能参加": a question about the member's own part in a meeting, which
    /// 我的会议 answers; never a sign-up or a cancellation. Read from the words as typed (normalising drops 了吗).
    /// </summary>
    private static bool AsksAboutOwnPart(string text)
    {
        var raw = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        return IsQuestion(raw) && TextNormalizer.ContainsAny(raw, "报名了", "报上了", "报名取消了", "报名取消掉了", "报名撤了", "报上名", "要参加", "要去", "需要参加", "用参加", "用去", "能不能参加", "能参加", "能去", "可以参加", "能不能去", "要不要去", "要不要参加", "去不去", "参不参加");
    }

    private static Intent? RecognizeMeeting(string t, string raw, bool asksAboutOwnPart)
    {
        if (asksAboutOwnPart)
        {
            return new Intent(IntentNames.MySignUps);
        }

        // "取消请假", "我不请假了": before the leave words below take it as a request.
        if (t.Contains("请假", StringComparison.Ordinal) && TextNormalizer.ContainsAny(t, "撤回", "撤销", "取消", "收回", "不请了", "不请假", "不用请假", "作废"))
        {
            return new Intent(IntentNames.WithdrawLeave);
        }

        // "第二十七次常委会我能去了": after asking for leave, the member can come after all (not a question: "我能去吗").
        if (!IsQuestion(raw) && CanComeAfterAllPattern().IsMatch(string.Concat(raw.Where(c => !char.IsWhiteSpace(c)))))
        {
            return new Intent(IntentNames.WithdrawLeave);
        }

        // Staff commands first: "请假审批" also contains the members' leave words.

        if (TextNormalizer.ContainsAny(t, "请假审批", "审批请假", "待批请假", "待审批请假", "请假待批", "请假申请列表", "待审批的请假") || t is "批准" or "审批" or "不批准")
        {
            return new Intent(IntentNames.ReviewLeave);
        }

        if (TextNormalizer.ContainsAny(t, "我的请假", "请假情况", "请假结果", "请假批了", "请假批下来", "请假批准了", "假批了"))
        {
            return new Intent(IntentNames.MySignUps);
        }

        // "我想请个病假", "常委会请事假": the kind of leave said inside the request.
        if (TextNormalizer.ContainsAny(t, "请假", "请个假", "请个病假", "请个事假", "请病假", "请事假", "请公假"))
        {
            return new Intent(IntentNames.RequestLeave, MeetingWords(LeaveNoisePattern().Replace(t, string.Empty)));
        }

        if (TextNormalizer.ContainsAny(t, RosterWords) && !t.Contains("我的", StringComparison.Ordinal))
        {
            return new Intent(IntentNames.MeetingRoster, MeetingWords(RosterNoisePattern().Replace(t, string.Empty)));
        }

        // "大运河视察几点集合", "常委会在哪里开", "明天的会几点开始": when and where one meeting is (the slot names it,
        // if the words do). Not said with a sign-up, a cancellation or check-in, which answer for themselves.
        if (DetailsQuestionPattern().IsMatch(t) && DetailsMeetingWordsPattern().IsMatch(t)
            && !t.StartsWith("报名", StringComparison.Ordinal)
            && !TextNormalizer.ContainsAny(t, "报个名", "报一个", "算我一个", "给我报", "帮我报", "我要报名", "我想报名", "报名参加", "签到", "打卡") && !CancelSignUpPattern().IsMatch(t))
        {
            return new Intent(IntentNames.MeetingDetails, MeetingWords(DetailsNoisePattern().Replace(t, string.Empty)) is { Length: >= 2 } meeting ? meeting : null);
        }

        if (t is "我的会" or "我报的会" or "我的会呢" || TextNormalizer.ContainsAny(t, "我的会有", "我报的会", "我的会议", "我的活动", "我的报名", "我报名了", "我报了哪些", "我报了什么", "我参加哪些", "我要参加哪些", "报名了哪些", "我报名的会", "都报了", "报了哪些", "报过哪些", "我报名的", "我报了啥", "报名了啥", "我有哪些会", "我有什么会", "我有啥会"))
        {
            return new Intent(IntentNames.MySignUps);
        }

        // "签到", "我到了，签到一下", "签个到": after the staff's 签到情况 above.
        if (TextNormalizer.ContainsAny(t, "签到", "签个到", "签下到", "签一下到", "打卡", "打个卡", "到会场", "到场了"))
        {
            return new Intent(IntentNames.CheckIn);
        }

        // "大运河视察还有名额吗", "明天的协商会还能报名吗": a question about a meeting's seats, no sign-up; the list
        // answers it for the meetings the words name (the slot). Naming none ("…，不知道还有没有名额") it goes with
        // what else is said; asked with a sign-up ("我想报个名…不知道还有没有名额") the sign-up answers it.
        // Naming none ("还有名额吗", "哪些会还能报名") it asks for the meetings open for sign-up that have seats left.
        if (SeatsQuestionPattern().IsMatch(t) && (IsQuestion(raw) || SeatsWordsPattern().IsMatch(t))
            && !TextNormalizer.ContainsAny(t, "报个名", "我要报名", "我想报名", "帮我报名", "给我报名", "报名参加", "我要参加", "我想参加"))
        {
            return new Intent(IntentNames.ListMeetings, MeetingWords(SeatsQuestionNoisePattern().Replace(t, string.Empty)) is { Length: >= 2 } asked ? asked : null);
        }

        // "帮我取消一下报名", "把大运河的报名撤了": 取消 or 撤 apart from 报名 is still a cancellation, not a sign-up.
        if (t.Contains("报名", StringComparison.Ordinal) && SplitCancelPattern().IsMatch(t) && !IsQuestion(raw))
        {
            return new Intent(IntentNames.CancelSignUp, MeetingWords(SplitCancelPattern().Replace(CancelSignUpPattern().Replace(t, string.Empty).Replace("报名", string.Empty, StringComparison.Ordinal), string.Empty)));
        }

        var cancel = CancelSignUpPattern().Match(t);
        if (cancel.Success)
        {
            return new Intent(IntentNames.CancelSignUp, MeetingWords(CancelSignUpPattern().Replace(t, string.Empty)));
        }

        var signUp = SignUpPattern().Match(t);
        if (signUp.Success && !TextNormalizer.ContainsAny(t, "哪些", "什么会", "有什么", "可以报名的"))
        {
            return new Intent(IntentNames.SignUp, MeetingWords(SignUpPattern().Replace(t, string.Empty)));
        }

        if (TextNormalizer.ContainsAny(t, "会议", "活动", "会", "安排", "日程", "协商", "视察", "调研", "培训", "可以报名", "报名"))
        {
            return new Intent(IntentNames.ListMeetings);
        }

        return null;
    }

    /// <summary>The words naming a meeting, without fillers and generic suffixes ("大运河视察" → "大运河").</summary>
    private static string? MeetingWords(string rest)
    {
        var words = MeetingFillerPattern().Replace(rest, string.Empty);
        foreach (var suffix in GenericMeetingSuffixes)
        {
            // "那个视察": a suffix after nothing but 那个 or 的 is what names the meeting.
            if (words.Length > suffix.Length + 1 && words.EndsWith(suffix, StringComparison.Ordinal)
                && words[..^suffix.Length].Trim('的', '那', '个', ',', '，', '、', ' ').Length > 0)
            {
                words = words[..^suffix.Length];
                break;
            }
        }

        words = words.Trim('的', '那', '个', ',', '，', '、', ' ');
        return words.Length == 0 ? null : words;
    }

    private static readonly string[] RosterWords = ["报名情况", "报名名单", "报名统计", "报名人数", "报名的人", "参会情况", "参会名单", "参会人员", "出席情况", "签到情况", "谁报名了", "哪些人报名", "多少人报名"];

    private static readonly string[] GenericMeetingSuffixes = ["那个协商会", "那个会议", "那个活动", "那个会", "专题协商会", "协商会", "的会议", "的活动", "会议", "视察", "活动", "的会"];

    private static int ProposalNumber(Match match)
    {
        var digits = match.Groups["digits"];
        if (digits.Success)
        {
            return int.Parse(digits.Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return TextNormalizer.ParseChineseNumber(match.Groups["chinese"].Value) ?? 0;
    }

    [GeneratedRegex(@"(?<session>[一二三四五六七八九十]+届[一二三四五六七八九十]+次)?第?(?:(?<padded>0+)?(?<digits>\d{1,4})|(?<chinese>[一二三四五六七八九十百零两]{1,6}))号")]
    private static partial Regex ProposalNumberPattern();

    /// <summary>A bare number listed before a number with 号 ("12、41号", "12和35、41号"): the 12 and the 35.</summary>
    [GeneratedRegex(@"(?<![\d.:：/-])(?<digits>\d{1,4})(?=(?:(?:[、,，/]|和|及|与|跟|还有)第?\d{1,4})+号)")]
    private static partial Regex ListedNumberPattern();

    /// <summary>A message of proposal numbers only: "12号和41号", "12号41号", "查一下12号、41号", "12、41号".</summary>
    [GeneratedRegex(@"^(?<verb>帮我查一下|帮我查查|帮我查|帮我看看|帮我看一下|查一下|查查|查询|查|看看|看一下|看下|请问)?(?:第?\d{1,4}号?(?:[、,，/]|和|及|与|跟|还有)?)+(?:的?(?:进度|进展|情况|怎么样|办得怎么样|到哪一步|到哪了))?$")]
    private static partial Regex NumberListPattern();

    [GeneratedRegex(@"(?<label>提案号|案号|编号|no\.?|#)[:：]?(?<digits>\d{1,4})(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelledNumberPattern();

    [GeneratedRegex("(呃|嗯|额|啊|呀|那个就是|就是说|就是|我想问下|我想问一下|想问下|想问一下|问一下|请问|到底|我想|我要|帮我|搜索|查找|查询|查一下|查下|查|找|看看|看一下|有没有|有无|关于|有关|涉及|相关|方面|提案有没有|提案有哪些|提案有|提案|的|那个|这个|一个|到哪一步|到哪一步了|到哪了|办到哪一步了?|办到哪里了?|办到哪了?|办得怎么样|办得哪能|办得咋样|办得怎样|办得如何|办得|怎么样|哪能|咋样|怎样|如何|进度|进展|情况|办理|有答复|有回复|有结果|有消息|答复|回复|结果|办完|办好|办结|了吗|了|没有$|没$)")]
    private static partial Regex ProposalNoisePattern();

    /// <summary>Words asking how a proposal stands ("办得哪能了", "有回复了吗", "进度").</summary>
    [GeneratedRegex("怎么样|哪能|咋样|怎样|如何|进度|进展|到哪|情况|答复|回复|结果|消息|办完|办好|办结")]
    private static partial Regex ProposalStatusPattern();

    /// <summary>What else 我的提案 is asked with ("我提了几个提案", "我的提案都办完了吗"), which names none of them.</summary>
    [GeneratedRegex("(哪几个|几个|几件|几条|哪些|全部|所有|都|些|办完|办好|完成)")]
    private static partial Regex MyProposalsFillerPattern();

    [GeneratedRegex("^(?:我要看|我看|看看|看一下|查看|看|打开|选|要)?第?(?:(?<digits>[0-9]{1,2})|(?<chinese>[一二三四五六七八九十]{1,3}))(?:个|条|项|件)?$")]
    private static partial Regex ListPickPattern();

    [GeneratedRegex(@"SQMY[-_]?(?<year>\d{4})[-_]?(?<sequence>\d{4,5})", RegexOptions.IgnoreCase)]
    private static partial Regex OpinionNumberPattern();

    [GeneratedRegex("关于(?<topic>.+)$")]
    private static partial Regex AboutPattern();

    [GeneratedRegex("(请个假|请假|病假|事假|公假|我要|我想|我|帮我|请|给|一下|个|因病|因事|公务|生病了?|身体不大舒服|身体不太舒服|身体不舒服|身体不好|身体不适|不舒服|单位有事|公司有事|工作上有事|家里有事|有事|出差|开会|参加不了|去不了|来不了|不能参加|不能去|走不开|抽不开身|的?流程|的?手续|怎么办|怎么弄)")]
    private static partial Regex LeaveNoisePattern();

    // "全部不批准 原因…", "驳回全部": every request of the list. The handler reads the numbers and the reason from the raw text.
    [GeneratedRegex("^(?:(?<verb>(?:全部|所有)(?:不予批准|不批准|不准假|驳回))|(?<verb>不予批准|不批准|不准假|驳回)(?:第?(?:\\d{1,3}|[一二三四五六七八九十两]{1,3})(?:个|条|号)?|全部|所有))")]
    private static partial Regex LeaveRejectionPattern();

    [GeneratedRegex("^(?:(?<verb>(?:全部|所有)(?:(?<no>不同意|拒绝)|批准|同意|准假))$|(?<verb>(?<no>不予批准|不批准|不同意|不准假|驳回|拒绝)|批准|同意|准假)(?:第?(?:\\d{1,3}|[一二三四五六七八九十两]{1,3})(?:个|条|号)?(?:$|[,，:：、;；。./~-]|至|到|和|原因|理由|因为)|全部$|所有的?$))")]
    private static partial Regex LeaveDecisionPattern();

    [GeneratedRegex("(报名情况|报名名单|报名统计|报名人数|报名的人|参会情况|参会名单|参会人员|出席情况|签到情况|谁报名了|哪些人报名|多少人报名|查看|查询|查一下|看看|看一下|统计|一下|请问|帮我|有)")]
    private static partial Regex RosterNoisePattern();

    [GeneratedRegex("谢|辛苦|麻烦|感谢|好的|好滴|好嘞|收到|知道|明白|了解|ok|行", RegexOptions.IgnoreCase)]
    private static partial Regex ThanksWordsPattern();

    [GeneratedRegex("(谢谢|谢啦|谢了|多谢|感谢|非常|十分|辛苦|麻烦|好的|好滴|好嘞|收到|知道|明白|了解|ok|okay|行|嗯|哦|噢|喔|啊|呀|哈|啦|了|你|您|小助手|助手|机器人|[,，.。!！~～、])+", RegexOptions.IgnoreCase)]
    private static partial Regex ThanksAndFillersPattern();

    /// <summary>Where a message turns to another request: a sentence break, or 顺便, 另外, 还有 … said by voice without one.</summary>
    private const string RequestBreak = "[，,。；;！!？?\n]+|顺便|顺带|另外|还有|同时|然后|以及|并且|再帮我|我还要|我还想|还要|还想";

    [GeneratedRegex(RequestBreak)]
    private static partial Regex RequestBreakPattern();

    [GeneratedRegex("(?:" + RequestBreak + "|\\s)+$")]
    private static partial Regex TrailingBreakPattern();

    /// <summary>A greeting a request may follow: "你好", "您好啊", "小助手在吗", "王主任早上好" is not one (names are not read).</summary>
    [GeneratedRegex("^(?:小助手|助手)?(?:你好|您好|早上好|上午好|中午好|下午好|晚上好|在吗|在不在|hi|hello|哈喽|嗨)(?:啊|呀|小助手|助手)?[,，.。!！~～]*", RegexOptions.IgnoreCase)]
    private static partial Regex GreetingPrefixPattern();

    [GeneratedRegex("[0-9]")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex("(?<![预通播汇简情公申举回电画海快周月年日晚早学警])报明(?![天日年早晚后确白显细])")]
    private static partial Regex BaoMingTypoPattern();

    [GeneratedRegex("(?<![邀申聘宴敬])请家(?![人属长里庭乡具电访中园门])")]
    private static partial Regex QingJiaTypoPattern();

    [GeneratedRegex("(?<![不没])(?:能去了|能参加了|可以去了|可以参加了|能来了|能出席了)|又能去|还是能去|还是可以去")]
    private static partial Regex CanComeAfterAllPattern();

    [GeneratedRegex("^0[0-9]{3}$")]
    private static partial Regex PaddedSerialPattern();

    [GeneratedRegex("(基本满意|不满意|满意)(?![度率])")]
    private static partial Regex EvaluationLevelPattern();

    [GeneratedRegex("^(我|本人)?(对答复|对办理)?(很|非常|比较|挺|还算|十分|总体|总的来说)?(基本满意|不太满意|很不满意|不满意|满意)$")]
    private static partial Regex BareEvaluationLevelPattern();

    [GeneratedRegex("^(我要|我想)?评价(一下)?|(对|给)(?=.*提案)|的?提案的?|的?答复|(办理)?评价|第(?=[0-9])|号(?!码)")]
    private static partial Regex EvaluationNoisePattern();

    [GeneratedRegex("(取消报名|撤销报名|退出报名|取消候补|退出候补|不候补了|不排队了|不报名了|不报了|不参加了|不去了|不参加|不去|去不了了|退掉|我?(?:" + CannotAttendWords + "))")]
    private static partial Regex CancelSignUpPattern();

    /// <summary>
    /// "去不了", "参加不了", "不能参加": the member cannot come. For a meeting they signed up to that is a cancellation;
    /// for one they are called to (指定出席) it is a leave request.
    /// </summary>
    /// (A final 了 is gone after normalisation: "我去不了" reads "我去不".)
    /// "能不能参加" asks, it does not say so.
    private const string CannotAttendWords = "去不(?:了|成|来|$)|来不(?:了|成|$)|没空去|没空参加|没空来|没时间去|没时间参加|没时间来|不想去|不想参加|不打算去|不打算参加|参加不(?:了|成|$)|出席不(?:了|$)|到不(?:了|$)|(?<!能)不能(?:参加|出席|去|来)|没法去|没法参加|没办法去|没办法参加|赶不上|赶不过去";

    /// <summary>True when <paramref name="text"/> says the member cannot come ("我去不了", "参加不了").</summary>
    public static bool SaysCannotAttend(string text) => CannotAttendPattern().IsMatch(TextNormalizer.Normalize(text));

    [GeneratedRegex(CannotAttendWords)]
    private static partial Regex CannotAttendPattern();

    /// <summary>Words asking whether a meeting still takes sign-ups ("还有名额", "还能报名", "报满了").</summary>
    [GeneratedRegex("名额|空位|有位置|有座位|有位子|还能报|还可以报|能报名|可以报名|能不能报|可不可以报|报满|满了|满员|满没满|报名截止|截止了|什么时候截止|哪天截止|几号截止|截止时间|截止日期")]
    private static partial Regex SeatsQuestionPattern();

    /// <summary>Words asking when or where ("几点", "在哪里", "地点").</summary>
    [GeneratedRegex("几点|几时|什么时候|啥时候|哪天|哪一天|几号|什么时间|啥时间|具体时间|会议时间|开会时间|活动时间|集合时间|开始时间|时间地点|时间和地点|在哪|哪里|哪儿|什么地方|啥地方|地点|地址|几楼|哪个会议室|哪间会议室")]
    private static partial Regex DetailsQuestionPattern();

    /// <summary>What makes a when-or-where question one about a meeting ("开会", "集合", "常委会", "在哪里开").</summary>
    [GeneratedRegex("会|活动|视察|调研|培训|协商|集合|开始|举行|召开|出发|报到|开$")]
    private static partial Regex DetailsMeetingWordsPattern();

    [GeneratedRegex("(我报名的|我报的|我参加的|我要参加的|我要去的|我的|请问|我想问下|我想问一下|想问下|想问一下|问一下|问下|具体|大概|一般|几点开始|什么时候开始|啥时候开始|哪天开始|在哪里开|在哪儿开|在哪开|几点开|什么时候开|啥时候开|哪天开|几号开|在哪里|在哪儿|在哪|哪里|哪儿|什么地方|啥地方|几点钟|几点|几时|什么时候|啥时候|哪一天|哪天|几号|什么时间|啥时间|时间和地点|时间地点|地点|地址|时间|几楼|哪个会议室|哪间会议室|开始|结束|集合|举行|召开|出发|报到|开会|是|在$)")]
    private static partial Regex DetailsNoisePattern();

    /// <summary>Seat words that ask on their own, without 吗 ("大运河视察还有名额").</summary>
    [GeneratedRegex("名额|空位|有位置|有座位|有位子|报满|满员")]
    private static partial Regex SeatsWordsPattern();

    [GeneratedRegex("(?<=.)(?<![砍步讨征采杀北攻挞])伐$")]
    private static partial Regex DialectQuestionEndPattern();

    [GeneratedRegex("(?<=.)(?<![谢多])(?:谢谢(?:你|您|啦|了)?|多谢|谢啦|谢了)$")]
    private static partial Regex TrailingThanksPattern();

    [GeneratedRegex("(不知道|想知道|我想问|想问|问问|问下|问一下|请问|一下|现在|目前|还有没有|有没有|还有|还剩|剩下|剩|多少个|多少|几个|什么|哪些|可以报的?|名额|空位|位置|座位|位子|名位|还能报名?|还可以报名?|能报名|可以报名|能不能报名?|可不可以报名?|报满了?|满了|满员了?|满没满|报名截止|截止了|什么时候截止|哪天截止|几号截止|截止时间|截止日期|截止|报名|不|没)")]
    private static partial Regex SeatsQuestionNoisePattern();

    [GeneratedRegex("(帮我把|把|取消一下|取消掉|取消|撤掉|撤销|撤回|撤了|撤)")]
    private static partial Regex SplitCancelPattern();

    [GeneratedRegex("(报名参加|我要报名|我想报名|帮我报名|报个名|报一下名|报下名|报名|给我报一个|帮我报一个|报一个|给我报上|给我报|帮我报上|算我一个|算我一份|加我一个|我也想去|我也要去|我也去|我也参加|我要参加|我想参加|我参加|参加|我要去|我想去|我去)")]
    private static partial Regex SignUpPattern();

    // "不知道怎么报名", "伐晓得哪能报名", "报名怎么弄": a question how to, which names no meeting.
    [GeneratedRegex("^(我要|我想|我|也|还|再|想|要|帮我|一下|请问|不知道|不晓得|伐晓得|勿晓得|不清楚|不懂|不会|怎么弄|怎么搞|怎么办|怎么|怎样|如何|咋弄|咋办|咋个|咋|哪能弄|哪能)+|(了|吧|也|都|一下|我|哈|啦|嘞|咯|呢|呀|啊|怎么弄|怎么搞|怎么办|咋弄|咋办|哪能弄)+$")]
    private static partial Regex MeetingFillerPattern();
}
