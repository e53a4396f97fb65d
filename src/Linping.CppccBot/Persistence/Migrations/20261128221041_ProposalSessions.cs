using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linping.CppccBot.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProposalSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Proposals_Serial",
                table: "Proposals");

            migrationBuilder.AddColumn<string>(
                name: "Session",
                table: "Proposals",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Proposals are numbered per session: the session is the number's, 一届五次 of 一届五次第0012号.
            migrationBuilder.Sql("""UPDATE "Proposals" SET "Session" = substr("Number", 1, instr("Number", '第') - 1);""");

            // Rows that referred to a proposal by its serial now say its session and serial ("一届五次/12").
            migrationBuilder.Sql(
                """
                UPDATE "ReminderDeliveries" SET "MeetingId" = (
                    SELECT 'proposal:' || p."Session" || '/' || CAST(p."Serial" AS TEXT) FROM "Proposals" p
                    WHERE "ReminderDeliveries"."MeetingId" = 'proposal:' || CAST(p."Serial" AS TEXT))
                WHERE "MeetingId" LIKE 'proposal:%' AND EXISTS (
                    SELECT 1 FROM "Proposals" p WHERE "ReminderDeliveries"."MeetingId" = 'proposal:' || CAST(p."Serial" AS TEXT));
                UPDATE "StateChanges" SET "EntityId" = (
                    SELECT p."Session" || '/' || CAST(p."Serial" AS TEXT) FROM "Proposals" p
                    WHERE "StateChanges"."EntityId" = CAST(p."Serial" AS TEXT))
                WHERE "EntityType" = 'Proposal' AND EXISTS (
                    SELECT 1 FROM "Proposals" p WHERE "StateChanges"."EntityId" = CAST(p."Serial" AS TEXT));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Proposals_Serial",
                table: "Proposals",
                column: "Serial");

            migrationBuilder.CreateIndex(
                name: "IX_Proposals_Session_Serial",
                table: "Proposals",
                columns: new[] { "Session", "Serial" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                UPDATE "ReminderDeliveries" SET "MeetingId" = (
                    SELECT 'proposal:' || CAST(p."Serial" AS TEXT) FROM "Proposals" p
                    WHERE "ReminderDeliveries"."MeetingId" = 'proposal:' || p."Session" || '/' || CAST(p."Serial" AS TEXT))
                WHERE "MeetingId" LIKE 'proposal:%' AND EXISTS (
                    SELECT 1 FROM "Proposals" p WHERE "ReminderDeliveries"."MeetingId" = 'proposal:' || p."Session" || '/' || CAST(p."Serial" AS TEXT));
                UPDATE "StateChanges" SET "EntityId" = (
                    SELECT CAST(p."Serial" AS TEXT) FROM "Proposals" p
                    WHERE "StateChanges"."EntityId" = p."Session" || '/' || CAST(p."Serial" AS TEXT))
                WHERE "EntityType" = 'Proposal' AND EXISTS (
                    SELECT 1 FROM "Proposals" p WHERE "StateChanges"."EntityId" = p."Session" || '/' || CAST(p."Serial" AS TEXT));
                """);

            migrationBuilder.DropIndex(
                name: "IX_Proposals_Serial",
                table: "Proposals");

            migrationBuilder.DropIndex(
                name: "IX_Proposals_Session_Serial",
                table: "Proposals");

            migrationBuilder.DropColumn(
                name: "Session",
                table: "Proposals");

            migrationBuilder.CreateIndex(
                name: "IX_Proposals_Serial",
                table: "Proposals",
                column: "Serial",
                unique: true);
        }
    }
}
