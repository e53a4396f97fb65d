using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>What a member asks to do with a meeting.</summary>
public enum MeetingAction
{
    SignUp,
    Cancel,
    Leave,

    /// <summary>Staff: show who signed up ("报名情况").</summary>
    Roster,

    /// <summary>取消候补: leave a waitlist, never give up a seat.</summary>
    LeaveWaitlist,

    /// <summary>
    /// "去不了", "参加不了": a cancellation for a meeting the member signed up to, a leave request for one they are
    /// called to (指定出席).
    /// </summary>
    CannotAttend,
}

/// <summary>
/// The chat side of meetings: which meeting the member means (a number of the last list, an id, words of the title)
/// and what to answer. Rules live in <see cref="MeetingService"/>; this class never decides on a guessed meeting.
/// </summary>
public sealed class MeetingConversation(MeetingService service, MeetingTexts texts)
{
    internal const string ListKey = "meetings.list";
    internal const string ListAtKey = "meetings.listAt";

    private static readonly string[] SeatWords = ["名额", "空位", "位置", "座位", "位子"];

    private static readonly string[] OpenForSignUpWords = [.. SeatWords, "可以报名", "能报名", "可报名", "开放报名", "还能报", "可以报的", "报名的活动", "报名的会", "想报名", "要报名"];

    /// <summary>How long "报名 2" refers to the list the member saw; after that the numbers may no longer match.</summary>
    internal static readonly TimeSpan ListLifetime = TimeSpan.FromHours(12);

    /// <summary>The meeting the conversation is about: the one just signed up for or asked about.</summary>
    internal const string CurrentKey = "meetings.current";
    internal const string CurrentAtKey = "meetings.currentAt";

    /// <summary>
    /// How long "几点集合" naming no meeting is about the meeting just signed up for or asked about, as a person would
    /// take it; later it is about the member's next meeting.
    /// </summary>
    internal static readonly TimeSpan CurrentLifetime = TimeSpan.FromMinutes(30);

    /// <param name="named">
    /// Words naming meetings in a question about them ("大运河视察还有名额吗"): the list shows those it names, and one
    /// alone is answered as such (seats, deadline, the member's own state).
    /// </param>
    /// <param name="details">The question is when and where ("大运河视察几点集合"): one meeting is answered with its time and place.</param>
    public async Task ListAsync(TurnContext turn, CancellationToken cancellationToken, string? named = null, bool details = false)
    {
        // In a group chat everyone reads the answer: the member's meetings, but not their own sign-ups or leave.
        var inGroup = turn.Message.IsGroup;
        var forMember = turn.Caller.IsMember && !inGroup;
        var views = await service.UpcomingAsync(turn.Caller.MemberId, cancellationToken);
        if (views.Count == 0)
        {
            turn.Reply(forMember ? MeetingTexts.NoUpcoming : MeetingTexts.NoUpcomingForStaff);
            return;
        }

        // "今天有会吗", "下周有什么会": only the meetings that start then (the numbers follow what is shown); when there
        // are none then, say so and show what is coming.
        var period = MeetingPeriod.Find(turn.Text, turn.Now, texts.Zone);
        string? noneThen = null;
        if (period is not null)
        {
            var inPeriod = views.Where(v => v.Meeting.StartsAt >= period.From && v.Meeting.StartsAt < period.To).ToList();
            if (inPeriod.Count == 0)
            {
                noneThen = MeetingTexts.NoneInPeriod(period.Label, forMember);
                period = null;
            }
            else
            {
                views = inPeriod;
            }
        }

        var words = period is null || named is null ? named : MeetingPeriod.Without(named);
        if (!MeetingMatcher.NamesNothing(words))
        {
            var meetings = views.Select(v => v.Meeting).ToList();
            var matches = MeetingMatcher.Match(words!, meetings) is { Count: > 0 } byName ? byName : MeetingMatcher.MatchPart(words!, meetings);
            if (matches.Count > 0)
            {
                views = [.. views.Where(v => matches.Contains(v.Meeting))];
            }
        }

        if (named is not null && views.Count == 1)
        {
            RememberCurrent(turn, views[0].Meeting.Id);
            turn.State.Memory[ListKey] = views[0].Meeting.Id;
            turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
            Common.RecentList.Remember(turn, Common.RecentList.Meetings);
            var about = details ? texts.Details(views[0], forMember, turn.Now) : texts.About(views[0], forMember, turn.Now);
            turn.Reply(about + (inGroup && turn.Caller.IsMember ? "\n" + MeetingTexts.GroupListHint : string.Empty));
            return;
        }

        // "有哪些活动可以报名": the meetings open for sign-up, not those the member is called to; "还有名额吗": of
        // those, the ones with seats left, when any has.
        if (turn.Caller.IsMember && !details && OpenForSignUpWords.Any(w => turn.Text.Contains(w, StringComparison.Ordinal))
            && views.Where(v => v.Meeting.Participation == ParticipationMode.OpenSignup && MeetingService.SignupClosesAt(v.Meeting) > turn.Now).ToList() is { Count: > 0 } open)
        {
            views = SeatWords.Any(w => turn.Text.Contains(w, StringComparison.Ordinal)) && open.Where(v => v.SeatsLeft is not <= 0).ToList() is { Count: > 0 } withSeats
                ? withSeats
                : open;
        }

        turn.State.Memory[ListKey] = string.Join(',', views.Select(v => v.Meeting.Id));
        turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
        Common.RecentList.Remember(turn, Common.RecentList.Meetings);
        var list = texts.List(views, forMember, turn.Now, period?.Label);
        if (inGroup && turn.Caller.IsMember)
        {
            list += "\n\n" + MeetingTexts.GroupListHint;
        }

        turn.Reply(noneThen is null ? list : noneThen + "\n\n" + list);
    }

    /// <summary>
    /// When and where a meeting is ("大运河视察几点集合", "明天的会几点开始"): the one the words or the day name, as
    /// <see cref="ListAsync"/> finds it; named by neither ("开会地点在哪"), the meeting the member just signed up for or
    /// asked about (within <see cref="CurrentLifetime"/>), else their next meeting they are signed up to or called to
    /// (in a group, where nobody's own meetings are shown, the list).
    /// </summary>
    public async Task DetailsAsync(TurnContext turn, string? named, CancellationToken cancellationToken)
    {
        if (named is not null || MeetingPeriod.Find(turn.Text, turn.Now, texts.Zone) is not null || !turn.Caller.IsMember || turn.Message.IsGroup)
        {
            await ListAsync(turn, cancellationToken, named ?? string.Empty, details: true);
            return;
        }

        if (Current(turn) is { } currentId
            && (await service.UpcomingAsync(turn.Caller.MemberId, cancellationToken)).FirstOrDefault(v => v.Meeting.Id == currentId) is { } current)
        {
            RememberCurrent(turn, currentId);
            turn.State.Memory[ListKey] = currentId;
            turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
            Common.RecentList.Remember(turn, Common.RecentList.Meetings);
            turn.Reply(texts.Details(current, forMember: true, turn.Now));
            return;
        }

        var next = (await service.MineAsync(turn.Caller.MemberId!, cancellationToken)).FirstOrDefault(v =>
            v.Own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.CheckedIn
            || (v.Meeting.Participation == ParticipationMode.Mandatory && v.Own?.Status is null or ParticipationStatus.Cancelled));
        if (next is null)
        {
            turn.Reply(MeetingTexts.NoMeetingExpected);
            return;
        }

        RememberCurrent(turn, next.Meeting.Id);
        turn.State.Memory[ListKey] = next.Meeting.Id;
        turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
        Common.RecentList.Remember(turn, Common.RecentList.Meetings);
        turn.Reply(texts.Details(next, forMember: true, turn.Now, next: true));
    }

    /// <summary>True when the member has a leave request waiting or approved for a meeting to come.</summary>
    public async Task<bool> HasLeaveAsync(TurnContext turn, CancellationToken cancellationToken) =>
        (await service.UpcomingAsync(turn.Caller.MemberId, cancellationToken))
            .Any(v => v.Meeting.StartsAt > turn.Now && v.Own?.Status is ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved);

    /// <summary>
    /// "签到": members are checked in at the door by the meeting staff, not in the chat; the member hears so, with the
    /// meetings they are expected at today and whether they are checked in.
    /// </summary>
    public async Task CheckInAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var today = MeetingPeriod.Find("今天", turn.Now, texts.Zone)!;
        var views = (await service.MineAsync(turn.Caller.MemberId!, cancellationToken))
            .Where(v => today.Contains(v.Meeting.StartsAt) && v.Own?.Status is not ParticipationStatus.Waitlisted)
            .ToList();
        turn.Reply(texts.CheckIn(views));
    }

    public async Task MineAsync(TurnContext turn, CancellationToken cancellationToken) =>
        turn.Reply(texts.Mine(await service.MineAsync(turn.Caller.MemberId!, cancellationToken)));

    /// <summary>Finds the meeting <paramref name="slot"/> refers to and acts on it, or asks which one, or says why not.</summary>
    public async Task StartAsync(TurnContext turn, MeetingAction action, string? slot, CancellationToken cancellationToken)
    {
        // 取消候补 / 退出候补: the waitlist places only, and asked in those words.
        if (action == MeetingAction.Cancel && turn.Text.Contains("候补", StringComparison.Ordinal))
        {
            action = MeetingAction.LeaveWaitlist;
        }
        else if (action == MeetingAction.Cancel && ChineseIntentRecognizer.SaysCannotAttend(turn.Text))
        {
            action = MeetingAction.CannotAttend;
        }

        // Staff who are not members ask for a roster: their "likely" meetings are all upcoming ones.
        var memberId = action == MeetingAction.Roster ? null : turn.Caller.MemberId!;
        var reason = action is MeetingAction.Leave or MeetingAction.CannotAttend ? LeaveReasons.FromText(turn.Text) : null;
        if (string.IsNullOrWhiteSpace(slot))
        {
            var defaults = DefaultCandidates(action, await service.UpcomingAsync(memberId, cancellationToken), turn.Now);
            if (defaults.Count == 0)
            {
                turn.Reply(NothingTo(action));
                return;
            }

            var ask = defaults.Count == 1 ? ConfirmQuestion(action, defaults[0]) : Question(action);
            await ChooseMeetingDialog.StartAsync(turn, action, defaults, reason, texts.Choose(ask, defaults), cancellationToken);
            return;
        }

        if (await service.FindAsync(slot, cancellationToken) is { } byId)
        {
            await ExecuteAsync(turn, action, byId.Id, reason, cancellationToken);
            return;
        }

        if (MeetingMatcher.ListNumbers(slot) is { Count: > 1 } several)
        {
            // "报名 1、2": one at a time (a sign-up may ask about the waitlist, leave asks the reason), and the list the
            // member saw keeps its numbers.
            turn.Reply($"请一次办理一个会议：先发送“{Verb(action)} {several[0]}”，办好后再发送“{Verb(action)} {several[1]}”。");
            return;
        }

        if (MeetingMatcher.ListNumber(slot) is { } number)
        {
            var list = RecentList(turn);
            if (list is null)
            {
                turn.Reply($"没有找到您最近查看的会议列表，序号{number}无法对应到会议。下面是最新的列表，请按序号重新发送：");
                await ListAsync(turn, cancellationToken);
            }
            else if (number < 1 || number > list.Count)
            {
                turn.Reply($"序号{number}不在您上次查看的列表中（共{list.Count}场）。请核对序号，或发送“最近有什么会议”重新查看。");
            }
            else
            {
                await ExecuteAsync(turn, action, list[number - 1], reason, cancellationToken);
            }

            return;
        }

        // Meetings the member is likely to mean come first; the rest only give the specific "why not" answer.
        var upcoming = await service.UpcomingAsync(memberId, cancellationToken);
        var likely = Likely(action, upcoming);

        // A meeting the member already asked leave for (or has it) is not offered for leave again: when the words fit
        // only such meetings, the leave's state is the answer ("常委会我来不了了，家里有事" after approval).
        var excused = action is MeetingAction.CannotAttend or MeetingAction.Leave
            ? upcoming.Where(v => v.Meeting.Participation == ParticipationMode.Mandatory && v.Own?.Status is ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved)
                .Select(v => v.Meeting.Id).ToHashSet(StringComparer.Ordinal)
            : [];
        async Task OfferAsync(IReadOnlyList<Meeting> found, Func<IReadOnlyList<Meeting>, string> question)
        {
            List<Meeting> offered = [.. found.Where(m => !excused.Contains(m.Id))];
            if (offered.Count == 0)
            {
                await ExecuteAsync(turn, action, found[0].Id, reason, cancellationToken);
                return;
            }

            await ChooseMeetingDialog.StartAsync(turn, action, offered, reason, texts.Choose(question(offered), offered), cancellationToken);
        }

        IReadOnlyList<Meeting>? all = null;
        var period = MeetingPeriod.Find(turn.Text, turn.Now, texts.Zone);
        var words = period is null ? slot : MeetingPeriod.Without(slot);

        // A meeting named in full is the one meant, also when a day is said in passing ("我明天要出差，大运河视察去不了").
        if (!MeetingMatcher.NamesNothing(words) && MeetingMatcher.Match(words, likely) is var named && MeetingMatcher.IsSure(words, named))
        {
            await ExecuteAsync(turn, action, named[0].Id, reason, cancellationToken);
            return;
        }

        // "常委会我来不了，家里有点事": with the reason said the member has said everything; a meeting named clearly by
        // part of the words is the one meant, as it is when the words are its name alone ("常委会我来不了").
        if (reason is not null && !MeetingMatcher.NamesNothing(words)
            && MeetingMatcher.MatchPart(words, likely, out var partLength) is { Count: 1 } namedWithReason && partLength >= 3
            && (period is null || period.Contains(namedWithReason[0].StartsAt)))
        {
            await ExecuteAsync(turn, action, namedWithReason[0].Id, reason, cancellationToken);
            return;
        }

        // "下周三的常委会我要出差去不了，请个假": the name fits several, the day picks one of them; nothing to ask.
        if (period is not null && !MeetingMatcher.NamesNothing(words)
            && MeetingMatcher.Match(words, [.. likely.Where(m => period.Contains(m.StartsAt))]) is var namedThen && MeetingMatcher.IsSure(words, namedThen))
        {
            await ExecuteAsync(turn, action, namedThen[0].Id, reason, cancellationToken);
            return;
        }

        // A meeting named by part of the words outweighs a day said in passing too; the member confirms it.
        if (period is not null && !MeetingMatcher.NamesNothing(words) && MeetingMatcher.MatchPart(words, likely) is { Count: > 0 } partly)
        {
            // A part that fits several ("明天下午那个协商会": every 协商会) is narrowed by the day, when one of them is then.
            var thenPartly = partly.Where(m => period.Contains(m.StartsAt)).ToList();
            await OfferAsync(partly.Count > 1 && thenPartly.Count > 0 ? thenPartly : partly, offered => offered.Count == 1 ? ConfirmQuestion(action, offered[0]) : $"有{offered.Count}个会议与您说的相符，请问是哪一个？");
            return;
        }

        // "明天的会我去不了", "3月25号的会我请假，身体不好": the day narrows the choice, the rest of the words (if they
        // name anything) picks among them; the member confirms what a day alone found.
        if (period is not null)
        {
            var then = likely.Where(m => period.Contains(m.StartsAt)).ToList();
            if (then.Count == 0)
            {
                // None of theirs that day: a meeting that day still gets its own answer ("您没有报名…"), which changes nothing.
                all = await service.AllAsync(cancellationToken);
                var other = all.Where(m => period.Contains(m.StartsAt)).ToList();
                if (other.Count == 1 && action != MeetingAction.SignUp)
                {
                    await ExecuteAsync(turn, action, other[0].Id, reason, cancellationToken);
                    return;
                }

                // "我下个月去不了杭州开会": nothing then, and the rest of the words name no meeting: that is the answer,
                // not "no such meeting" with meetings of another time to pick from. (A sign-up said only as "我去…" may
                // be none: "明天约我去公园下棋".)
                if ((action != MeetingAction.SignUp || TextNormalizer.ContainsAny(turn.Text, "报名", "参加"))
                    && (MeetingMatcher.NamesNothing(words) || (MeetingMatcher.Match(words, all).Count == 0 && MeetingMatcher.MatchPart(words, all).Count == 0)))
                {
                    turn.Reply(NothingThen(action, period.Label));
                    return;
                }
            }
            else
            {
                var picked = MeetingMatcher.NamesNothing(words) ? then
                    : MeetingMatcher.Match(words, then) is { Count: > 0 } byName ? [.. byName]
                    : MeetingMatcher.MatchPart(words, then) is { Count: > 0 } byPart ? [.. byPart]
                    : then;
                await OfferAsync(picked, offered => offered.Count == 1 ? ConfirmQuestion(action, offered[0]) : $"{period.Label}有{offered.Count}个会议，请问是哪一个？");
                return;
            }
        }

        var matches = MeetingMatcher.Match(words, likely);
        if (matches.Count == 0)
        {
            matches = MeetingMatcher.Match(words, all ?? await service.AllAsync(cancellationToken));
        }

        if (MeetingMatcher.IsSure(words, matches))
        {
            await ExecuteAsync(turn, action, matches[0].Id, reason, cancellationToken);
            return;
        }

        // Words that say more than the meeting's name ("学习会身体不好"): a meeting named by part of them is asked about.
        if (matches.Count == 0)
        {
            matches = MeetingMatcher.MatchPart(words, likely);
        }

        // "大运河那个我不去了，家里有事" without a sign-up to it: the one meeting those words name answers why nothing
        // is to be cancelled, rather than "no such meeting".
        if (matches.Count == 0 && action is MeetingAction.Cancel or MeetingAction.CannotAttend or MeetingAction.LeaveWaitlist
            && MeetingMatcher.MatchPart(words, all ?? await service.AllAsync(cancellationToken)) is { Count: 1 } namedPart)
        {
            await ExecuteAsync(turn, action, namedPart[0].Id, reason, cancellationToken);
            return;
        }

        if (matches.Count > 0)
        {
            await OfferAsync(matches, offered => offered.Count == 1 ? ConfirmQuestion(action, offered[0]) : $"有{offered.Count}个会议与您说的相符，请问是哪一个？");
            return;
        }

        // Nothing fits. A sign-up said only as "我去…" may be no sign-up at all ("约我去公园下棋"): no list to pick from.
        var open = action == MeetingAction.SignUp && !TextNormalizer.ContainsAny(turn.Text, "报名", "参加")
            ? []
            : DefaultCandidates(action, upcoming, turn.Now);
        if (open.Count > 0)
        {
            // Offered, not found: picked by number, never by a bare "是".
            await ChooseMeetingDialog.StartAsync(
                turn, action, open, reason, texts.Choose("没有找到与您说的相符的会议。" + Question(action), open, byNumber: true), cancellationToken, offered: true);
        }
        else
        {
            turn.Reply("没有找到与您说的相符的会议。" + MeetingTexts.ListHint);
        }
    }

    /// <summary>Acts on a meeting the member named unambiguously.</summary>
    public async Task ExecuteAsync(TurnContext turn, MeetingAction action, string meetingId, LeaveReason? reason, CancellationToken cancellationToken)
    {
        if (action == MeetingAction.Roster)
        {
            var roster = await service.RosterAsync(meetingId, cancellationToken);
            turn.Reply(roster is null ? MeetingTexts.ListHint : texts.Roster(roster));
            return;
        }

        var memberId = turn.Caller.MemberId!;
        switch (action)
        {
            case MeetingAction.SignUp:
                var signUp = await service.SignUpAsync(meetingId, memberId, joinWaitlist: false, cancellationToken);
                if (signUp.Outcome == SignUpOutcome.NotFound)
                {
                    turn.Reply(MeetingTexts.ListHint);
                    return;
                }

                if (signUp.Outcome == SignUpOutcome.Full)
                {
                    await WaitlistDialog.StartAsync(turn, meetingId, cancellationToken);
                }

                RememberCurrent(turn, meetingId);

                turn.Reply(texts.SignUp(signUp));
                return;
            case MeetingAction.Cancel when turn.Message.Kind == InboundKind.Event && turn.CardResponseCode is not null:
                // A tap on a card is easily a slip: it asks before cancelling; a typed request is already deliberate.
                var check = await service.CheckCancelAsync(meetingId, memberId, cancellationToken);
                if (check.Outcome == CancelOutcome.Cancelled)
                {
                    await ConfirmCancelDialog.StartAsync(turn, check.Meeting!, texts, cancellationToken);
                }
                else
                {
                    turn.Reply(check.Outcome == CancelOutcome.NotFound ? MeetingTexts.ListHint : texts.Cancel(check));
                }

                return;
            case MeetingAction.Cancel:
                await CancelAsync(turn, meetingId, cancellationToken);
                return;
            case MeetingAction.CannotAttend:
                await CancelAsync(turn, meetingId, cancellationToken, reason, cannotAttend: true);
                return;
            case MeetingAction.LeaveWaitlist:
                var left = await service.LeaveWaitlistAsync(meetingId, memberId, cancellationToken);
                turn.Reply(left.Outcome == CancelOutcome.NotFound ? MeetingTexts.ListHint : texts.Cancel(left));
                return;
            default:
                var leave = await service.CheckLeaveAsync(meetingId, memberId, reason, cancellationToken);
                if (leave.Outcome == LeaveOutcome.Allowed)
                {
                    await LeaveDialog.StartAsync(turn, leave.Meeting!, reason, texts, cancellationToken, refused: Refused(leave));
                }
                else if (leave.Outcome == LeaveOutcome.NotFound)
                {
                    turn.Reply(MeetingTexts.ListHint);
                }
                else
                {
                    ReplyLeaveRefused(turn, leave);
                }

                return;
        }
    }

    public async Task JoinWaitlistAsync(TurnContext turn, string meetingId, CancellationToken cancellationToken)
    {
        var result = await service.SignUpAsync(meetingId, turn.Caller.MemberId!, joinWaitlist: true, cancellationToken);
        turn.Reply(result.Outcome == SignUpOutcome.NotFound ? MeetingTexts.ListHint : texts.SignUp(result));
    }

    public async Task SubmitLeaveAsync(TurnContext turn, string meetingId, LeaveReason reason, string? note, CancellationToken cancellationToken)
    {
        var result = await service.RequestLeaveAsync(meetingId, turn.Caller.MemberId!, reason, note, cancellationToken);
        turn.Reply(result.Outcome == LeaveOutcome.NotFound ? MeetingTexts.ListHint : texts.Leave(result));
        if (result.Outcome == LeaveOutcome.Requested)
        {
            turn.UpdateCard(MeetingTexts.CardLeaveRequested);
        }
    }

    /// <summary>
    /// Cancels the member's sign-up (or waitlist place) and, when a card click led here, marks that card. A meeting
    /// the member is called to (指定出席) cannot be cancelled: "常委会我去不了" asks for leave instead.
    /// </summary>
    public async Task CancelAsync(TurnContext turn, string meetingId, CancellationToken cancellationToken, LeaveReason? reason = null, bool cannotAttend = false)
    {
        if (cannotAttend
            && await service.CheckLeaveAsync(meetingId, turn.Caller.MemberId!, reason, cancellationToken) is { Outcome: not (LeaveOutcome.NotMandatory or LeaveOutcome.NotFound or LeaveOutcome.NotInvited) } leave)
        {
            if (leave.Outcome != LeaveOutcome.Allowed)
            {
                ReplyLeaveRefused(turn, leave);
                return;
            }

            await LeaveDialog.StartAsync(turn, leave.Meeting!, reason, texts, cancellationToken, instead: true, refused: Refused(leave));
            return;
        }

        var cancel = await service.CancelAsync(meetingId, turn.Caller.MemberId!, cancellationToken);
        turn.Reply(cancel.Outcome == CancelOutcome.NotFound ? MeetingTexts.ListHint : texts.Cancel(cancel));
        if (cancel.Outcome is CancelOutcome.Cancelled or CancelOutcome.LeftWaitlist)
        {
            turn.UpdateCard(MeetingTexts.CardCancelled);
        }
    }

    /// <summary>Says why no leave is asked, and keeps what can be done instead for the member's next words ("因病", "那怎么办").</summary>
    /// <summary>
    /// The reason category given in the leave dialog: false when the office already refused leave for it (the member is
    /// told so and the dialog ends), true when it may be submitted.
    /// </summary>
    public async Task<bool> MayAskLeaveForAsync(TurnContext turn, string meetingId, LeaveReason reason, CancellationToken cancellationToken)
    {
        var leave = await service.CheckLeaveAsync(meetingId, turn.Caller.MemberId!, reason, cancellationToken);
        if (leave.Outcome != LeaveOutcome.AlreadyRejected)
        {
            return true;
        }

        ReplyLeaveRefused(turn, leave);
        return false;
    }

    /// <summary>"不是" to the leave reason: the member did not mean this meeting or wants no leave; nothing is submitted.</summary>
    public async Task DeclineLeaveAsync(TurnContext turn, string meetingId, CancellationToken cancellationToken) =>
        turn.Reply(await service.FindAsync(meetingId, cancellationToken) is { } meeting ? texts.LeaveNotWanted(meeting) : MeetingTexts.ChoiceDeclined);

    /// <summary>The member's refused leave request for the meeting, which a new request must differ from; else null.</summary>
    private static Participation? Refused(LeaveResult leave) => leave.Participation is { Status: ParticipationStatus.LeaveRejected } refused ? refused : null;

    private void ReplyLeaveRefused(TurnContext turn, LeaveResult leave)
    {
        turn.Reply(texts.Leave(leave));
        if (texts.LeaveFollowUp(leave) is { } line)
        {
            Common.FollowUp.Remember(turn, line);
        }
    }

    public async Task<IReadOnlyList<Meeting>> MeetingsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var all = await service.AllAsync(cancellationToken);
        return [.. ids.Select(id => all.FirstOrDefault(m => m.Id == id)).OfType<Meeting>()];
    }

    private static void RememberCurrent(TurnContext turn, string meetingId)
    {
        turn.State.Memory[CurrentKey] = meetingId;
        turn.State.Memory[CurrentAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>The meeting the conversation is about, if it was signed up for or asked about recently.</summary>
    private static string? Current(TurnContext turn) =>
        turn.State.Memory.TryGetValue(CurrentKey, out var id)
        && turn.State.Memory.TryGetValue(CurrentAtKey, out var at)
        && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var keptAt)
        && turn.Now - keptAt <= CurrentLifetime
            ? id
            : null;

    private static List<string>? RecentList(TurnContext turn)
    {
        if (!turn.State.Memory.TryGetValue(ListKey, out var ids) || string.IsNullOrEmpty(ids)
            || !turn.State.Memory.TryGetValue(ListAtKey, out var at)
            || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var listedAt)
            || turn.Now - listedAt > ListLifetime)
        {
            return null;
        }

        return [.. ids.Split(',')];
    }

    /// <summary>A meeting the member is called to (指定出席) and not yet on leave from.</summary>
    private static bool IsCalledTo(MeetingView view) =>
        view.Meeting.Participation == ParticipationMode.Mandatory && view.Own?.Status is not (ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved);

    /// <summary>The meetings words are matched against first; "去不了" may mean one signed up to or one called to.</summary>
    private static IReadOnlyList<Meeting> Likely(MeetingAction action, IReadOnlyList<MeetingView> upcoming) =>
        action switch
        {
            MeetingAction.Cancel => [.. upcoming.Where(v => v.Own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted).Select(v => v.Meeting)],
            MeetingAction.CannotAttend => [.. upcoming.Where(v => v.Own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted
                || v.Meeting.Participation == ParticipationMode.Mandatory).Select(v => v.Meeting)],
            _ => [.. upcoming.Select(v => v.Meeting)],
        };

    private static IReadOnlyList<Meeting> DefaultCandidates(MeetingAction action, IReadOnlyList<MeetingView> upcoming, DateTimeOffset now) =>
        action switch
        {
            MeetingAction.SignUp => [.. upcoming.Where(v => v.Meeting.Participation == ParticipationMode.OpenSignup
                && MeetingService.SignupClosesAt(v.Meeting) > now
                && v.Own?.Status is null or ParticipationStatus.Cancelled).Select(v => v.Meeting)],
            MeetingAction.Roster => [.. upcoming.Select(v => v.Meeting)],
            MeetingAction.Cancel => [.. upcoming.Where(v => v.Meeting.StartsAt > now
                && v.Own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted).Select(v => v.Meeting)],
            MeetingAction.CannotAttend => [.. upcoming.Where(v => v.Meeting.StartsAt > now
                && (v.Own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted || IsCalledTo(v))).Select(v => v.Meeting)],
            MeetingAction.LeaveWaitlist => [.. upcoming.Where(v => v.Meeting.StartsAt > now && v.Own?.Status is ParticipationStatus.Waitlisted).Select(v => v.Meeting)],
            _ => [.. upcoming.Where(v => v.Meeting.StartsAt > now && IsCalledTo(v)).Select(v => v.Meeting)],
        };

    /// <summary>The command word of <paramref name="action"/>, as members send it with a list number.</summary>
    private static string Verb(MeetingAction action) => action switch
    {
        MeetingAction.SignUp => "报名",
        MeetingAction.Cancel or MeetingAction.CannotAttend => "取消报名",
        MeetingAction.LeaveWaitlist => "取消候补",
        MeetingAction.Roster => "报名情况",
        _ => "请假",
    };

    private static string Question(MeetingAction action) => action switch
    {
        MeetingAction.SignUp => "请问您要报名哪个会议？",
        MeetingAction.CannotAttend => "请问是哪个会议不能参加？",
        MeetingAction.Cancel => "请问您要取消哪个会议的报名？",
        MeetingAction.LeaveWaitlist => "请问您要退出哪个会议的候补？",
        MeetingAction.Roster => "请问要查看哪个会议的报名情况？",
        _ => "请问您要为哪个会议请假？",
    };

    /// <summary>The question about the one meeting the words may mean: it says what will be done with it.</summary>
    private static string ConfirmQuestion(MeetingAction action, Meeting meeting) => action switch
    {
        MeetingAction.SignUp => "您要报名的是这个会议吗？",
        MeetingAction.CannotAttend when meeting.Participation == ParticipationMode.Mandatory => "您说不能参加的是这个会议吗？确认后为您办理请假。",
        MeetingAction.CannotAttend => "您说不能参加的是这个会议吗？确认后将取消您的报名。",
        MeetingAction.Cancel => "您要取消报名的是这个会议吗？",
        MeetingAction.LeaveWaitlist => "您要退出候补的是这个会议吗？",
        MeetingAction.Roster => "您要查看的是这个会议的报名情况吗？",
        _ => "您要请假的是这个会议吗？",
    };

    /// <summary>The answer when the member has no meeting to act on in the time they named ("下个月去不了").</summary>
    private static string NothingThen(MeetingAction action, string period) => action switch
    {
        MeetingAction.SignUp => $"{period}没有可以报名的会议。" + MeetingTexts.ListHint,
        MeetingAction.Cancel => $"{period}没有您报名的会议，无需取消。发送“我的会议”可查看报名情况。",
        MeetingAction.LeaveWaitlist => $"{period}没有您候补的会议。发送“我的会议”可查看报名情况。",
        MeetingAction.Roster => $"{period}没有会议活动。",
        _ => $"{period}没有需要您出席的会议，不用请假。",
    };

    private static string NothingTo(MeetingAction action) => action switch
    {
        MeetingAction.SignUp => "近期没有您可以报名的会议活动。" + MeetingTexts.ListHint,
        MeetingAction.CannotAttend => "您近期没有已报名或需要出席的会议。发送“我的会议”可查看报名情况。",
        MeetingAction.Cancel => "您目前没有可以取消的报名。发送“我的会议”可查看报名情况。",
        MeetingAction.LeaveWaitlist => "您目前不在任何会议的候补名单中。发送“我的会议”可查看报名情况。",
        MeetingAction.Roster => "近期没有已发布的会议活动。可发送“报名情况 会议编号”查看已结束的会议。",
        _ => "您近期没有需要请假的指定出席会议。自愿报名的活动如不能参加，请发送“取消报名”。",
    };
}

/// <summary>The coarse leave reason categories (因病/因事/公务); the details stay in the optional note.</summary>
public static partial class LeaveReasons
{
    private static readonly string[] Illness = ["因病", "病假", "生病", "病了", "身体", "住院", "看病", "就医", "不舒服", "身体不适"];
    // A member's employer needing them (单位有事) is leave on duty (公务), not private business (因事).
    private static readonly string[] Official = ["公务", "因公", "公假", "出差", "公干", "开会", "有会", "工作安排", "公事", "单位有事", "单位里有事", "单位工作", "单位安排", "公司有事", "公司里有事", "工作原因", "工作冲突", "工作上有事", "工作忙"];
    private static readonly string[] Personal = ["因事", "事假", "有事", "私事", "家里", "家事", "个人原因"];

    /// <summary>The category named in a free text ("家里有事" → 因事, "单位有事" → 公务), or null.</summary>
    public static LeaveReason? FromText(string text)
    {
        var t = TextNormalizer.Normalize(text);
        return t switch
        {
            _ when Illness.Any(w => t.Contains(w, StringComparison.Ordinal)) => LeaveReason.Illness,
            _ when Official.Any(w => t.Contains(w, StringComparison.Ordinal)) => LeaveReason.Official,
            _ when Personal.Any(w => t.Contains(w, StringComparison.Ordinal)) => LeaveReason.Personal,
            _ => null,
        };
    }

    /// <summary>
    /// A correction of the category, answered where the note is asked: the whole answer is the category, maybe with
    /// 改为/改成/应该是/是 or as 不是…，是… ("公务", "改成因病", "不是因事，是公务"); null for anything else, which is the
    /// note ("家里老人住院，不是公务" names no new category).
    /// </summary>
    public static LeaveReason? FromCorrection(string text)
    {
        var match = CorrectionPattern().Match(TextNormalizer.Normalize(text).TrimEnd('。', '.', '!', '！', '吧'));
        return match.Success ? FromAnswer(match.Groups["to"].Value) : null;
    }

    /// <summary>An answer to "which category": 1/2/3 or the words.</summary>
    public static LeaveReason? FromAnswer(string text) => TextNormalizer.Normalize(text) switch
    {
        "1" or "一" => LeaveReason.Illness,
        "2" or "二" => LeaveReason.Personal,
        "3" or "三" => LeaveReason.Official,
        _ => FromText(text),
    };

    [GeneratedRegex(@"^(?:不是(?:因病|病假|因事|事假|私事|公务|因公|公假|公事)[，,、\s]*而?是|改为|改成|应为|应该是|是)?(?<to>因病|病假|因事|事假|私事|公务|因公|公假|公事)$")]
    private static partial Regex CorrectionPattern();
}
