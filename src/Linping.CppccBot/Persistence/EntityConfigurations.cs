using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linping.CppccBot.Persistence;

internal static class Lengths
{
    public const int Id = 64;
    public const int Name = 64;
    public const int Title = 256;
    public const int Short = 128;
    public const int Note = 1000;
    public const int Secret = 256;
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.Property(m => m.Id).HasMaxLength(Lengths.Id);
        builder.Property(m => m.Name).HasMaxLength(Lengths.Name);
        builder.Property(m => m.WeComUserId).HasMaxLength(Lengths.Id);
        builder.Property(m => m.DingTalkUserId).HasMaxLength(Lengths.Id);
        builder.Property(m => m.PreferredApp).HasMaxLength(16);
        builder.Property(m => m.Sector).HasMaxLength(Lengths.Short);
        builder.Property(m => m.Studio).HasMaxLength(Lengths.Short);
        builder.Property(m => m.Mobile).HasMaxLength(32);
        builder.HasIndex(m => m.WeComUserId).IsUnique();
        builder.HasIndex(m => m.DingTalkUserId).IsUnique();
        builder.PrimitiveCollection(m => m.Committees);
    }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> builder)
    {
        builder.ToTable("Staff");
        builder.Property(s => s.Id).HasMaxLength(Lengths.Id);
        builder.Property(s => s.Name).HasMaxLength(Lengths.Name);
        builder.Property(s => s.WeComUserId).HasMaxLength(Lengths.Id);
        builder.Property(s => s.DingTalkUserId).HasMaxLength(Lengths.Id);
        builder.HasIndex(s => s.WeComUserId).IsUnique();
        builder.HasIndex(s => s.DingTalkUserId).IsUnique();
        builder.PrimitiveCollection(s => s.Roles);
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> builder)
    {
        builder.ToTable("ChatGroups");
        builder.Property(g => g.Id).HasMaxLength(Lengths.Id);
        builder.Property(g => g.Name).HasMaxLength(Lengths.Short);
        builder.Property(g => g.WeComWebhookKey).HasMaxLength(Lengths.Secret);
        builder.Property(g => g.DingTalkAccessToken).HasMaxLength(Lengths.Secret);
        builder.Property(g => g.DingTalkSecret).HasMaxLength(Lengths.Secret);
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> builder)
    {
        builder.Property(m => m.Id).HasMaxLength(Lengths.Id);
        builder.Property(m => m.Title).HasMaxLength(Lengths.Title);
        builder.Property(m => m.Location).HasMaxLength(Lengths.Title);
        builder.Property(m => m.AnnouncedLocation).HasMaxLength(Lengths.Title);
        builder.HasIndex(m => m.StartsAt);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasMany(m => m.Invitees).WithOne().HasForeignKey(i => i.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(m => m.Groups).WithOne().HasForeignKey(g => g.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MeetingChangeConfiguration : IEntityTypeConfiguration<MeetingChange>
{
    public void Configure(EntityTypeBuilder<MeetingChange> builder)
    {
        builder.Property(c => c.MeetingId).HasMaxLength(Lengths.Id);
        builder.Property(c => c.OldLocation).HasMaxLength(Lengths.Title);
        builder.Property(c => c.NewLocation).HasMaxLength(Lengths.Title);
        builder.Property(c => c.OldTitle).HasMaxLength(Lengths.Title);
        builder.Property(c => c.NewTitle).HasMaxLength(Lengths.Title);
        builder.Property(c => c.Actor).HasMaxLength(Lengths.Id);

        // Flags: stored as their number (the names of several would not fit the enums' column).
        builder.Property(c => c.Aspects).HasConversion<int>();
        builder.HasOne<Meeting>().WithMany().HasForeignKey(c => c.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.MeetingId);
    }
}

internal sealed class MeetingInviteeConfiguration : IEntityTypeConfiguration<MeetingInvitee>
{
    public void Configure(EntityTypeBuilder<MeetingInvitee> builder)
    {
        builder.HasKey(i => new { i.MeetingId, i.MemberId });
        builder.Property(i => i.MeetingId).HasMaxLength(Lengths.Id);
        builder.Property(i => i.MemberId).HasMaxLength(Lengths.Id);
        builder.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.MemberId);
    }
}

internal sealed class MeetingGroupConfiguration : IEntityTypeConfiguration<MeetingGroup>
{
    public void Configure(EntityTypeBuilder<MeetingGroup> builder)
    {
        builder.HasKey(g => new { g.MeetingId, g.GroupId });
        builder.Property(g => g.MeetingId).HasMaxLength(Lengths.Id);
        builder.Property(g => g.GroupId).HasMaxLength(Lengths.Id);
        builder.HasOne<Group>().WithMany().HasForeignKey(g => g.GroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ParticipationConfiguration : IEntityTypeConfiguration<Participation>
{
    public void Configure(EntityTypeBuilder<Participation> builder)
    {
        builder.Property(p => p.MeetingId).HasMaxLength(Lengths.Id);
        builder.Property(p => p.MemberId).HasMaxLength(Lengths.Id);
        builder.Property(p => p.LeaveNote).HasMaxLength(Lengths.Note);
        builder.Property(p => p.LeaveDecisionNote).HasMaxLength(Lengths.Note);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne<Meeting>().WithMany().HasForeignKey(p => p.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.MeetingId, p.MemberId }).IsUnique();
        builder.HasIndex(p => p.MemberId);
    }
}

internal sealed class ProposalConfiguration : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> builder)
    {
        builder.Property(p => p.Number).HasMaxLength(Lengths.Id);
        builder.Property(p => p.Title).HasMaxLength(Lengths.Title);
        builder.Property(p => p.Category).HasMaxLength(Lengths.Id);
        builder.Property(p => p.ReplySummary).HasMaxLength(4000);
        builder.Property(p => p.EvaluationComment).HasMaxLength(Lengths.Note);
        builder.Property(p => p.Session).HasMaxLength(Lengths.Id);
        builder.Ignore(p => p.Key);
        builder.HasIndex(p => new { p.Session, p.Serial }).IsUnique();
        builder.HasIndex(p => p.Serial);
        builder.HasIndex(p => p.Number).IsUnique();
        builder.HasMany(p => p.Proposers).WithOne().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Units).WithOne().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.History).WithOne().HasForeignKey(x => x.ProposalId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProposalProposerConfiguration : IEntityTypeConfiguration<ProposalProposer>
{
    public void Configure(EntityTypeBuilder<ProposalProposer> builder)
    {
        builder.HasKey(p => new { p.ProposalId, p.MemberId });
        builder.Property(p => p.MemberId).HasMaxLength(Lengths.Id);
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.MemberId);
    }
}

internal sealed class ProposalUnitConfiguration : IEntityTypeConfiguration<ProposalUnit>
{
    public void Configure(EntityTypeBuilder<ProposalUnit> builder)
    {
        builder.HasKey(u => new { u.ProposalId, u.Position });
        builder.Property(u => u.Name).HasMaxLength(Lengths.Short);
    }
}

internal sealed class ProposalStatusEntryConfiguration : IEntityTypeConfiguration<ProposalStatusEntry>
{
    public void Configure(EntityTypeBuilder<ProposalStatusEntry> builder)
    {
        builder.ToTable("ProposalHistory");
        builder.Property(e => e.Note).HasMaxLength(Lengths.Note);
    }
}

internal sealed class OpinionConfiguration : IEntityTypeConfiguration<Opinion>
{
    public void Configure(EntityTypeBuilder<Opinion> builder)
    {
        builder.Property(o => o.Id).HasMaxLength(Lengths.Id);
        builder.Property(o => o.Title).HasMaxLength(Lengths.Title);
        builder.Property(o => o.Category).HasMaxLength(Lengths.Id);
        builder.Property(o => o.SubmittedById).HasMaxLength(Lengths.Id);
        builder.HasOne<Member>().WithMany().HasForeignKey(o => o.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => o.SubmittedById);
        builder.HasMany(o => o.History).WithOne().HasForeignKey(e => e.OpinionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OpinionStatusEntryConfiguration : IEntityTypeConfiguration<OpinionStatusEntry>
{
    public void Configure(EntityTypeBuilder<OpinionStatusEntry> builder)
    {
        builder.ToTable("OpinionHistory");
        builder.Property(e => e.OpinionId).HasMaxLength(Lengths.Id);
        builder.Property(e => e.Note).HasMaxLength(Lengths.Note);
    }
}

internal sealed class StateChangeConfiguration : IEntityTypeConfiguration<StateChange>
{
    public void Configure(EntityTypeBuilder<StateChange> builder)
    {
        builder.Property(c => c.EntityType).HasMaxLength(32);
        builder.Property(c => c.EntityId).HasMaxLength(Lengths.Id);
        builder.Property(c => c.From).HasMaxLength(32);
        builder.Property(c => c.To).HasMaxLength(32);
        builder.Property(c => c.Actor).HasMaxLength(Lengths.Id);
        builder.Property(c => c.Note).HasMaxLength(Lengths.Note);
        builder.HasIndex(c => new { c.EntityType, c.EntityId, c.At });
    }
}

internal sealed class ReminderDeliveryConfiguration : IEntityTypeConfiguration<ReminderDelivery>
{
    public void Configure(EntityTypeBuilder<ReminderDelivery> builder)
    {
        // The subject: a meeting id, or a prefixed one (proposal:12, notice:opinion:{opinion id}), so longer than an id.
        builder.Property(r => r.MeetingId).HasMaxLength(Lengths.Id + 32);
        builder.Property(r => r.Kind).HasMaxLength(32);
        builder.Property(r => r.RecipientId).HasMaxLength(Lengths.Id);
        builder.Property(r => r.Chat).HasMaxLength(16).HasDefaultValue(string.Empty);
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.Error).HasMaxLength(64);
        builder.Property(r => r.ClaimToken).HasMaxLength(64);

        // The claim: a second dispatcher inserting the same reminder fails on this key instead of sending it again.
        builder.HasIndex(r => new { r.MeetingId, r.Kind, r.MeetingStartsAt, r.RecipientType, r.RecipientId, r.Chat }).IsUnique();
        builder.HasIndex(r => new { r.Status, r.NextAttemptAt });
        builder.HasIndex(r => r.ClaimToken);
    }
}

internal sealed class ConsoleSessionConfiguration : IEntityTypeConfiguration<ConsoleSession>
{
    public void Configure(EntityTypeBuilder<ConsoleSession> builder)
    {
        builder.Property(s => s.Id).HasMaxLength(Lengths.Id);
        builder.HasIndex(s => s.ExpiresAt);
    }
}
