#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine that has the .NET SDK:
# installs what the tests need (redis-server, postgresql; Debian's chromium and CJK fonts for the staff console's browser
# tests; Node packages for the WeCom interop check), then `dotnet test`.
# The tests start their own redis-server and PostgreSQL (initdb in a temp folder, as the postgres user when root) on free
# loopback ports (the packaged PostgreSQL service is not used), and their own headless chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Fonts only make the screenshots readable: installed when we can, not required.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { [ "$(id -u)" -eq 0 ] && need_apt+=(fonts-noto-cjk); } || true
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing ${need_apt[*]} ..."
    # The tests make their own PostgreSQL clusters: no packaged cluster (and no service left running) is wanted.
    if [[ " ${need_apt[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install: ${need_apt[*]} (sudo apt-get install -y ${need_apt[*]})" >&2
    exit 1
  fi
fi

if command -v npm >/dev/null 2>&1 && [ -f tests/wecom-crypto-check/package-lock.json ]; then
  (cd tests/wecom-crypto-check && npm ci --no-audit --no-fund --loglevel=error)
fi

log=$(mktemp)
set +e
# The console logger at "normal": xUnit's informational lines are then shown, among them the stack trace of a failure
# outside any test ([FATAL ERROR], which fails the run); only the one line per passed test is left out of the output.
dotnet test Linping.CppccBot.sln --configuration Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep --line-buffered -v '^  Passed '
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain form CI reads: "Tests: N passed, N failed, N skipped" (from the per-assembly summary
# "Passed!  - Failed: …" of minimal verbosity, or from the "Total tests:" block of normal verbosity).
awk '/(Passed|Failed)!  - Failed:/ {
       minimal = 1
       for (i = 1; i <= NF; i++) { gsub(",", "", $i) }
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     /^Total tests: / { block = 1; next }
     block && /^ +Passed: / { np += $2 }
     block && /^ +Failed: / { nf += $2 }
     block && /^ +Skipped: / { ns += $2 }
     block && /^ +Total time: / { block = 0 }
     END {
       if (!minimal) { p = np; f = nf; s = ns }
       printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s
     }' "$log"
rm -f "$log"
exit "$status"
