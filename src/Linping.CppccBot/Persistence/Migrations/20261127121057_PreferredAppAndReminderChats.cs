using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linping.CppccBot.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PreferredAppAndReminderChats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_RecipientType_RecipientId",
                table: "ReminderDeliveries");

            migrationBuilder.AddColumn<string>(
                name: "Chat",
                table: "ReminderDeliveries",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Until now a group was reminded by its WeCom robot only: existing group rows are that chat, so a reminder
            // already claimed or sent is not planned again under the new key.
            migrationBuilder.Sql("UPDATE \"ReminderDeliveries\" SET \"Chat\" = 'WeCom' WHERE \"RecipientType\" = 'Group' AND \"Status\" <> 'NoChannel';");

            migrationBuilder.AddColumn<string>(
                name: "PreferredApp",
                table: "Members",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_RecipientType_RecipientId_Chat",
                table: "ReminderDeliveries",
                columns: new[] { "MeetingId", "Kind", "MeetingStartsAt", "RecipientType", "RecipientId", "Chat" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_RecipientType_RecipientId_Chat",
                table: "ReminderDeliveries");

            migrationBuilder.DropColumn(
                name: "Chat",
                table: "ReminderDeliveries");

            migrationBuilder.DropColumn(
                name: "PreferredApp",
                table: "Members");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_RecipientType_RecipientId",
                table: "ReminderDeliveries",
                columns: new[] { "MeetingId", "Kind", "MeetingStartsAt", "RecipientType", "RecipientId" },
                unique: true);
        }
    }
}
