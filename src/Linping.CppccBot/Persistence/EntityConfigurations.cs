using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Linping.CppccBot.Persistence;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.Property(m => m.Id).HasMaxLength(64);
        builder.Property(m => m.Name).HasMaxLength(64);
        builder.Property(m => m.WeComUserId).HasMaxLength(64);
        builder.Property(m => m.DingTalkUserId).HasMaxLength(64);
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
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(64);
        builder.HasIndex(s => s.WeComUserId).IsUnique();
        builder.HasIndex(s => s.DingTalkUserId).IsUnique();
        builder.PrimitiveCollection(s => s.Roles);
    }
}
