#!/usr/bin/env bash
# CI test of `tinyfleet sweep slurm --submit` on a real one-node SLURM cluster
# brought up on localhost by local_cluster.sh (recipe:
# ../shared/reference/cluster.md): private munged, slurmctld and slurmd with
# all config and state in a temp directory, free ports picked at run time,
# daemons stopped by PID on any exit, their logs printed on failure.
# An 8-point sweep runs as a 3-task job array plus the dependent gather job;
# every row must be there, and the gathered files must equal a local run's.
# Then `reproduce taxonomy E2 E7 --quick --slurm --submit` and a local
# `reproduce` of the same must give the same taxonomy.md.
#
# Usage: run_slurm_test.sh TINYFLEET_BINARY SOURCE_DIR
# Exit 77 (ctest SKIP_RETURN_CODE) without root or without the SLURM/munge
# binaries (Debian: slurmctld slurmd slurm-client munge, see setup.sh).
set -euo pipefail
TF=${1:?usage: run_slurm_test.sh TINYFLEET_BINARY SOURCE_DIR}
SRC=${2:?usage: run_slurm_test.sh TINYFLEET_BINARY SOURCE_DIR}
export PATH=$PATH:/usr/sbin:/sbin
# shellcheck source=local_cluster.sh
. "$(dirname "$0")/local_cluster.sh"

skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (slurmd must run jobs and own its spool directory)"
for b in slurmctld slurmd sbatch squeue sinfo scancel munged munge unmunge timeout; do
  command -v "$b" > /dev/null ||
    skip "'$b' not found (apt-get install slurmctld slurmd slurm-client munge)"
done

W=$(mktemp -d /tmp/tinyfleet-slurm-test.XXXXXX)
T0=$(date +%s.%N)
WATCHDOG=
cleanup() {
  local rc=$?
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2> /dev/null
  cluster_stop
  if [ $rc -ne 0 ]; then
    echo "FAILED (exit $rc); files in $W"
    cluster_logs
    tail -n 25 "$W"/sweep/slurm/*.out 2> /dev/null || true
  else
    rm -rf "$W"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# Give up well before ctest's TIMEOUT (170 s) so that the logs above get printed.
(
  trap 'kill $sleeper 2> /dev/null; exit 0' TERM
  sleep 140 > /dev/null 2>&1 &
  sleeper=$!
  wait $sleeper && echo "[slurm test] 140 s limit reached, giving up" && kill -TERM $$
) &
WATCHDOG=$!

cluster_start "$W/cluster"
T1=$(date +%s.%N)

# The sweep: 2 x 2 grid x 2 seeds = 8 points, 3 per array task.
cat > "$W/sweep.yaml" << SWEEP
base: $SRC/scenarios/sweeps/small-base.yaml
axes:
  grid:
    fleet[group=adaptive].labels.fraction: [0.2, 0.8]
    fleet[group=adaptive].learner.detector: [{kind: adwin}, {kind: ddm}]
seeds: [1, 2]
SWEEP
"$TF" sweep expand "$W/sweep.yaml" -o "$W/sweep"
out=$(slurm_cli "$TF" sweep slurm "$W/sweep" --chunk 3 --partition ci --time 10 --submit)
echo "$out"
ids=$(echo "$out" | sed -n 's/^submitted array job \([0-9]*\) and gather job \([0-9]*\).*/\1 \2/p')
[ -n "$ids" ] || { echo "no job ids in the output of sweep slurm"; exit 1; }
read -r ARRAY_ID GATHER_ID <<< "$ids"
grep -q -- '--array=0-2$' "$W/sweep/sweep.sbatch" || { echo "expected 3 array tasks"; exit 1; }

# Poll (`sbatch --wait` backs off up to 30 s) until both jobs have left the queue.
jobs_done() {
  local queued
  queued=$(slurm_cli squeue -h -j "$ARRAY_ID,$GATHER_ID" 2>> "$W/cluster/client.log") && [ -z "$queued" ]
}
wait_until 90 jobs_done || { echo "jobs still queued after 90 s:"; slurm_cli squeue || true; exit 1; }
T2=$(date +%s.%N)

# Every point ran on the cluster and the gather job collected all of them.
for i in 0 1 2; do
  [ -s "$W/sweep/slurm/sweep-${ARRAY_ID}_$i.out" ] || { echo "no log of array task $i"; exit 1; }
done
grep -q "gathered 8 of 8 points" "$W"/sweep/slurm/gather-"$GATHER_ID".out ||
  { echo "gather job did not gather 8 of 8 points"; exit 1; }
rows=$(tail -n +2 "$W/sweep/results.csv" | grep -c '^[0-9]*,ok,' || true)
[ "$rows" = 8 ] || { echo "results.csv has $rows ok rows, expected 8"; exit 1; }
[ -s "$W/sweep/results.sqlite" ] || { echo "no results.sqlite"; exit 1; }

# Same sweep locally: byte-identical results.
"$TF" sweep expand "$W/sweep.yaml" -o "$W/local" > /dev/null
"$TF" sweep run "$W/local" -j 2 -q > /dev/null
"$TF" sweep gather "$W/local" > /dev/null
cmp "$W/local/results.csv" "$W/sweep/results.csv"
cmp "$W/local/results.sqlite" "$W/sweep/results.sqlite"

# The taxonomy suite's SLURM path on two quick experiments: job arrays, then
# `reproduce` without --slurm tabulates what the cluster ran (nothing reruns);
# taxonomy.md must equal a local run's.
T3=$(date +%s.%N)
slurm_cli "$TF" reproduce taxonomy E2 E7 --quick --suite "$SRC/scenarios/taxonomy" \
  -o "$W/tax" --slurm --chunk 1 --partition ci --time 10 --submit
wait_until 90 queue_empty || { echo "taxonomy jobs still queued after 90 s:"; slurm_cli squeue || true; exit 1; }
out=$("$TF" reproduce taxonomy E2 E7 --quick --suite "$SRC/scenarios/taxonomy" -o "$W/tax")
echo "$out" | grep -q " 0 ran," || { echo "reproduce reran points that SLURM had run:"; echo "$out"; exit 1; }
echo "$out" | grep -q " 2 ran," && { echo "reproduce reran points that SLURM had run:"; echo "$out"; exit 1; }
"$TF" reproduce taxonomy E2 E7 --quick -q --suite "$SRC/scenarios/taxonomy" -o "$W/tax-local"
cmp "$W/tax/taxonomy.md" "$W/tax-local/taxonomy.md"
T4=$(date +%s.%N)
echo "taxonomy E2 E7 --quick via SLURM: $(awk -v a="$T3" -v b="$T4" 'BEGIN { printf "%.1f", b - a }') s"

awk -v a="$T0" -v b="$T1" -v c="$T2" -v d="$(date +%s.%N)" 'BEGIN {
  printf "PASSED: 8/8 points via SLURM (ports %s): cluster up %.1f s, array+gather %.1f s, total %.1f s\n",
         "'"$CTLD_PORT/$SLURMD_PORT"'", b - a, c - b, d - a }'
