using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Linping.CppccBot.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MeetingMovesAndEvaluationComment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EvaluationComment",
                table: "Proposals",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AnnouncedEndsAt",
                table: "Meetings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AnnouncedLocation",
                table: "Meetings",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AnnouncedStartsAt",
                table: "Meetings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MeetingChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OldStartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OldEndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OldLocation = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NewStartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NewEndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NewLocation = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "IX_MeetingChanges_MeetingId",
                table: "MeetingChanges",
                column: "MeetingId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingChanges");

            migrationBuilder.DropColumn(
                name: "EvaluationComment",
                table: "Proposals");

            migrationBuilder.DropColumn(
                name: "AnnouncedEndsAt",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "AnnouncedLocation",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "AnnouncedStartsAt",
                table: "Meetings");
        }
    }
}
