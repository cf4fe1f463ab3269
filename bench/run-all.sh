#!/usr/bin/env bash
# Every figure of docs/performance.md's table in one run, as its rows:  bench/run-all.sh
# Needs the published binary (dotnet publish src/AgentStrace -c Release -r linux-x64 -o artifacts/bin/linux-x64),
# GNU time and the .NET SDK (the generators). Run it on an otherwise idle machine; the last line names the machine
# and its load average. RUNS=N changes the number of runs per row (default 5; 20 for the start-up rows).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/measure.sh
header
bench/startup.sh
bench/export-rows.sh 100000
bench/big-store.sh 10000
echo
machine
