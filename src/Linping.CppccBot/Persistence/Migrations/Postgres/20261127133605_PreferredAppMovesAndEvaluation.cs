using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Linping.CppccBot.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PreferredAppMovesAndEvaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_Recipient~",
                table: "ReminderDeliveries");

            migrationBuilder.AddColumn<string>(
                name: "Chat",
                table: "ReminderDeliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EvaluationComment",
                table: "Proposals",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreferredApp",
                table: "Members",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AnnouncedEndsAt",
                table: "Meetings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AnnouncedLocation",
                table: "Meetings",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AnnouncedStartsAt",
                table: "Meetings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MeetingChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MeetingId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OldStartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OldEndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OldLocation = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NewStartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NewEndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NewLocation = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DetectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingChanges_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_Recipient~",
                table: "ReminderDeliveries",
                columns: new[] { "MeetingId", "Kind", "MeetingStartsAt", "RecipientType", "RecipientId", "Chat" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingChanges_MeetingId",
                table: "MeetingChanges",
                column: "MeetingId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingChanges");

            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_Recipient~",
                table: "ReminderDeliveries");

            migrationBuilder.DropColumn(
                name: "Chat",
                table: "ReminderDeliveries");

            migrationBuilder.DropColumn(
                name: "EvaluationComment",
                table: "Proposals");

            migrationBuilder.DropColumn(
                name: "PreferredApp",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "AnnouncedEndsAt",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "AnnouncedLocation",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "AnnouncedStartsAt",
                table: "Meetings");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_MeetingId_Kind_MeetingStartsAt_Recipient~",
                table: "ReminderDeliveries",
                columns: new[] { "MeetingId", "Kind", "MeetingStartsAt", "RecipientType", "RecipientId" },
                unique: true);
        }
    }
}
