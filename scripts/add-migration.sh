#!/usr/bin/env bash
# Adds one EF Core migration for BOTH database providers, from the current model:
#   SQLite     -> src/Linping.CppccBot/Persistence/Migrations           (BotDbContext)
#   PostgreSQL -> src/Linping.CppccBot/Persistence/Migrations/Postgres  (PostgresBotDbContext)
# Usage: scripts/add-migration.sh <Name>     (e.g. MemberPreferredApp)
# dotnet-ef comes from the local tool manifest (.config/dotnet-tools.json), restored here when missing.
# After merging branches that each added a SQLite migration, run it once more: a provider whose model already matches
# gets an empty migration, which this script removes again.
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:-}
if [[ ! "$name" =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
  echo "Usage: $0 <Name>   (PascalCase, letters and digits, e.g. MemberPreferredApp)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
project=src/Linping.CppccBot
dotnet build "$project" -c Debug -v q -nologo >/dev/null

add() { # <context> <output dir> <namespace>
  local context=$1 dir=$2 namespace=$3 before after
  before=$(ls "$project/$dir"/*.cs 2>/dev/null | sort || true)
  dotnet ef migrations add "$name" --no-build --project "$project" --context "$context" \
    --output-dir "$dir" --namespace "$namespace" >/dev/null
  # dotnet-ef puts a new snapshot in a folder made from its namespace; it belongs next to the migrations.
  local stray
  for stray in $(find "$project/Linping" -name '*ModelSnapshot.cs' 2>/dev/null); do
    mv "$stray" "$project/$dir/"
  done
  rm -rf "$project/Linping"
  after=$(ls "$project/$dir"/*.cs | sort)
  local file
  file=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '\.Designer\.cs$' | head -n1)
  if [ -z "$file" ]; then
    echo "$context: no migration file was written" >&2
    exit 1
  fi
  # An Up() without a single migrationBuilder call: this provider's model was already up to date.
  if ! sed -n '/void Up(/,/void Down(/p' "$file" | grep -q 'migrationBuilder\.'; then
    # The model did not change, so neither did the snapshot: removing the two new files undoes the addition.
    rm -f "$file" "${file%.cs}.Designer.cs"
    echo "$context: model already up to date, no migration added"
  else
    echo "$context: added $file"
  fi
}

add BotDbContext Persistence/Migrations Linping.CppccBot.Persistence.Migrations
add PostgresBotDbContext Persistence/Migrations/Postgres Linping.CppccBot.Persistence.Migrations.Postgres
dotnet format Linping.CppccBot.sln --include "$project/Persistence/Migrations/" >/dev/null || true
