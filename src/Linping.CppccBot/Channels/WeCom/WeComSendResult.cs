namespace Linping.CppccBot.Channels.WeCom;

/// <summary>One HTTP call of a send: one batch of recipients and one part of the text.</summary>
/// <param name="UserIds">The recipients of this call (empty for a webhook).</param>
/// <param name="PartIndex">Which part of the split text, from 0.</param>
/// <param name="PartCount">How many parts the text was split into.</param>
/// <param name="ErrCode">WeCom's errcode for this call (after the one retry on a refused token).</param>
/// <param name="ErrMsg">WeCom's errmsg; for logs only, never for decisions.</param>
/// <param name="InvalidUsers">WeCom's <c>invaliduser</c>, split on <c>|</c> and lower-cased as WeCom reports them.</param>
/// <param name="MsgId">The message id for <c>message/recall</c>, when WeCom gave one.</param>
public sealed record WeComSendCall(
    IReadOnlyList<string> UserIds,
    int PartIndex,
    int PartCount,
    int ErrCode,
    string ErrMsg,
    IReadOnlyList<string> InvalidUsers,
    string? MsgId)
{
    public WeComErrorKind Kind => WeComErrorCodes.Classify(ErrCode);
}

/// <summary>
/// The outcome of a send. Calls go batch by batch, part by part in order. A call answered with 81013 (all recipients of
/// the batch invalid) skips the rest of that batch; any other non-zero errcode stops the whole send so parts never
/// arrive out of order, and the caller can back off (see <see cref="ErrorKind"/>) and send the remainder again.
/// </summary>
public sealed class WeComSendResult(IReadOnlyList<WeComSendCall> calls, int plannedCalls)
{
    /// <summary>The calls that were answered, in the order they were made.</summary>
    public IReadOnlyList<WeComSendCall> Calls { get; } = calls;

    /// <summary>How many calls the send needed (batches × parts).</summary>
    public int PlannedCalls { get; } = plannedCalls;

    /// <summary>True when every needed call was made and answered errcode 0 (some users may still be invalid).</summary>
    public bool Succeeded => Calls.Count == PlannedCalls && Calls.All(c => c.ErrCode == WeComErrorCodes.Ok);

    /// <summary>The first call that failed, if any.</summary>
    public WeComSendCall? FirstFailure => Calls.FirstOrDefault(c => c.ErrCode != WeComErrorCodes.Ok);

    /// <summary>What kind of failure stopped or spoiled the send; <see cref="WeComErrorKind.None"/> when none.</summary>
    public WeComErrorKind ErrorKind => FirstFailure?.Kind ?? WeComErrorKind.None;

    /// <summary>
    /// How many parts of the text went out, to the recipients of the call that stopped the send, before it failed (see
    /// <see cref="WeComApiClient.Unsent"/>); 0 when the send did not stop mid-text.
    /// </summary>
    public int PartsSent =>
        Calls is [.., { ErrCode: not WeComErrorCodes.Ok and not WeComErrorCodes.AllRecipientsInvalid } last] ? last.PartIndex : 0;

    /// <summary>Users WeCom did not reach (lower-cased), from <c>invaliduser</c> or a whole batch answered 81013.</summary>
    public IReadOnlyList<string> InvalidUsers =>
        Calls.SelectMany(c => c.ErrCode == WeComErrorCodes.AllRecipientsInvalid && c.InvalidUsers.Count == 0
                ? c.UserIds.Select(u => u.ToLowerInvariant())
                : c.InvalidUsers)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
