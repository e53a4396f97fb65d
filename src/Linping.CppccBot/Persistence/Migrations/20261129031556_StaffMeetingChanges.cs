using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linping.CppccBot.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StaffMeetingChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Actor",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AnnouncedAt",
                table: "MeetingChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Aspects",
                table: "MeetingChanges",
                type: "INTEGER",
                maxLength: 32,
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "NewCapacity",
                table: "MeetingChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NewParticipation",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NewSignupDeadline",
                table: "MeetingChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NewTitle",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NewType",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OldCapacity",
                table: "MeetingChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OldParticipation",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OldSignupDeadline",
                table: "MeetingChanges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OldTitle",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OldType",
                table: "MeetingChanges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Actor",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "AnnouncedAt",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "Aspects",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "NewCapacity",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "NewParticipation",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "NewSignupDeadline",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "NewTitle",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "NewType",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "OldCapacity",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "OldParticipation",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "OldSignupDeadline",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "OldTitle",
                table: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "OldType",
                table: "MeetingChanges");
        }
    }
}
