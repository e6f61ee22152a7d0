#!/usr/bin/env bash
# The README's Slurm job array, run on a real Slurm. Starts munged, slurmctld and slurmd for a
# one-node cluster (this machine, its real CPUs and memory) with configuration, state and logs in
# a temporary folder, and submits the script between <!-- slurm-array-begin --> and
# <!-- slurm-array-end --> in README.md, exactly as it stands there, over an archive of good and
# broken calls (transcripts in several formats, a recording, bad files):
#   1. the whole array: `medlyt aggregate` over its shard folders must give the same tables as one
#      `medlyt batch` over the archive;
#   2. a task requeued while it transcribes (`scontrol requeue`, what preemption does): it starts
#      again, resumes its shard, the calls it had finished are not redone, and the merged result
#      is the same;
#   3. a task whose medlyt is killed while it runs (SIGKILL, as the out-of-memory killer does: the
#      task fails) and its index submitted again alone (`sbatch --array=K`): the same.
# It prints the tasks' states and the comparisons, stops every daemon it started and exits
# non-zero on any failure.
#
# Needs root (slurmd and munged run as root), the packages slurm-wlm and munge
# (scripts/install-deps.sh), the release binary (cargo build --release -p medlyt-cli) and a Whisper
# model (scripts/get-models.sh). Not root, or Slurm not installed: prints "skipped" and exits 0,
# unless MEDLYT_REQUIRE_SLURM=1. Takes about a minute on 2 cores.
#
# Usage: scripts/test-slurm.sh
#   MEDLYT=PATH   the medlyt binary to test (default target/release/medlyt; it is copied first,
#                 so a rebuild during the test does not change it)
#   KEEP=1        keep the temporary folder (it is always kept when the test fails)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() {
    echo "test-slurm: FAILED: $*" >&2
    exit 1
}
skip() {
    [ "${MEDLYT_REQUIRE_SLURM:-0}" = 1 ] && fail "$1 (MEDLYT_REQUIRE_SLURM=1)"
    echo "test-slurm: skipped: $1"
    exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd and munged run as root)"
for tool in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$tool" >/dev/null || skip "$tool not found: install slurm-wlm and munge (scripts/install-deps.sh)"
done
src=${MEDLYT:-target/release/medlyt}
[ -x "$src" ] || fail "$src not found: build it first (cargo build --release -p medlyt-cli)"
export MEDLYT_MODELS=${MEDLYT_MODELS:-$repo/models}
compgen -G "$MEDLYT_MODELS/ggml-base*.bin" >/dev/null \
    || fail "no Whisper model in $MEDLYT_MODELS: run scripts/get-models.sh"

started=$SECONDS
tmp=$(mktemp -d /tmp/medlyt-slurm.XXXXXX)
# munged wants every folder above its socket searchable by all.
chmod 755 "$tmp"
mkdir -p "$tmp"/{bin,munge,run,log,ctld,spool,archive}
chmod 700 "$tmp/munge"
pids=()
ok=0

cleanup() {
    local rc=$?
    set +e
    if [ -n "${SLURM_CONF:-}" ] && [ -S "$tmp/run/munge.socket" ]; then
        local left
        left=$(squeue -h -o %A 2>/dev/null)
        if [ -n "$left" ]; then
            # shellcheck disable=SC2086
            scancel $left 2>/dev/null
            for _ in $(seq 1 40); do
                [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.25
            done
        fi
    fi
    # The daemons, last started first stopped; each by the process id it was started with.
    local i
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null
        for _ in $(seq 1 40); do
            kill -0 "${pids[i]}" 2>/dev/null || break
            sleep 0.25
        done
        kill -9 "${pids[i]}" 2>/dev/null
        wait "${pids[i]}" 2>/dev/null
    done
    if [ "$ok" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
        rm -rf "$tmp"
    else
        echo "test-slurm: configuration, logs and outputs kept in $tmp" >&2
        if [ "$ok" != 1 ]; then
            for f in "$tmp"/log/slurmctld.log "$tmp"/log/slurmd.log; do
                [ -f "$f" ] && { echo "--- last lines of $f" >&2; tail -n 15 "$f" >&2; }
            done
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT

# --- the job script, as the README has it ------------------------------------------------------
job="$tmp/medlyt-array.sh"
awk '/<!-- slurm-array-end -->/ { inside = 0 }
     inside && !/^```/ { print }
     /<!-- slurm-array-begin -->/ { inside = 1 }' README.md >"$job"
grep -q '^#!/bin/bash' "$job" && grep -q 'SLURM_ARRAY_TASK_ID' "$job" \
    || fail "no job script between <!-- slurm-array-begin --> and <!-- slurm-array-end --> in README.md"
# docs/batch.md shows the same script: it must not drift from the one tested here.
awk '/<!-- slurm-array-end -->/ { inside = 0 }
     inside && !/^```/ { print }
     /<!-- slurm-array-begin -->/ { inside = 1 }' docs/batch.md | cmp -s - "$job" \
    || fail "the job script in docs/batch.md differs from the README's (between the slurm-array markers)"
echo "test-slurm: job script from README.md ($(wc -l <"$job") lines), the same in docs/batch.md"

# --- the archive: good and broken calls -------------------------------------------------------
archive="$tmp/archive"
mkdir -p "$archive"/{transcripts,broken,recordings}
cp fixtures/transcripts/{interruptions-backchannels-2spk,jobcenter-escalation-da,low-quality-wrong-language,talk-turns-2spk}.json \
    fixtures/transcripts-in/{teams-2spk-voice-tags.vtt,subs-2spk-role-names.srt,notes-3spk-timed.txt,notes-2spk-untimed.txt,medlyt-2spk-stereo.json} \
    "$archive/transcripts/"
cp fixtures/bad/{transcript-times-1e15.json,transcript-end-before-start.json,truncated-pcm16.wav,not-audio.wav,empty-0-bytes.wav} \
    "$archive/broken/"
# One recording: transcribing it takes seconds, long enough to stop its task in the middle.
recording=recordings/en-citizen-service-8k-mulaw.wav
cp fixtures/calls/en-citizen-service-8k-mulaw.wav "$archive/$recording"
cp "$src" "$tmp/bin/medlyt"
medlyt="$tmp/bin/medlyt"
echo "test-slurm: archive of $(find "$archive" -type f | wc -l) files; $("$medlyt" --version); models in $MEDLYT_MODELS"

# --- one batch over the whole archive: the reference ------------------------------------------
single="$tmp/single"
set +e
"$medlyt" batch "$archive" -o "$single" --parallel 2 --threads 4 --quiet >"$tmp/log/single.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 12 ] || { cat "$tmp/log/single.out" >&2; fail "medlyt batch over the archive exited with $rc"; }
[ -s "$single/failures.jsonl" ] || fail "the single batch lists no failures, but the archive holds broken files"
single_calls=$(wc -l <"$single/results.jsonl")
single_failed=$(wc -l <"$single/failures.jsonl")
echo "test-slurm: single batch: $single_calls calls, $single_failed failed (exit $rc)"

# --- munged and Slurm ---------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    port_free "$port" && port_free $((port + 1)) && break
done
node=$(hostname -s)
# NodeName=... CPUs=... RealMemory=..., as slurmd finds this machine.
node_line=$(slurmd -C | grep -m1 '^NodeName=')
[ -n "$node_line" ] || fail "slurmd -C printed no node line"

dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged -F --socket="$tmp/run/munge.socket" --key-file="$tmp/munge/munge.key" \
    --pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" \
    --seed-file="$tmp/munge/munged.seed" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
    [ -S "$tmp/run/munge.socket" ] && break
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$tmp/log/munged.out" >&2; fail "munged stopped"; }
    sleep 0.1
done
[ -S "$tmp/run/munge.socket" ] || fail "munged made no socket"

conf="$tmp/slurm.conf"
cat >"$conf" <<EOF
# A one-node cluster for scripts/test-slurm.sh: no accounting, no cgroups.
ClusterName=medlyttest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/run/munge.socket
StateSaveLocation=$tmp/ctld
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=900
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"
slurmctld -D -c -f "$conf" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$node" -f "$conf" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 1 120); do
    for p in "${pids[@]}"; do
        kill -0 "$p" 2>/dev/null || { tail -n 20 "$tmp"/log/*.out >&2; fail "a Slurm daemon stopped while starting"; }
    done
    state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "node $node not idle after 60 s (sinfo: ${state:-no answer})"
echo "test-slurm: slurmctld, slurmd and munged up; $node_line; sinfo: $state"

# --- functions ----------------------------------------------------------------------------------
shards=4
# Submits the README's script: OUT folder, array indices. The #SBATCH lines ask for 8 CPUs and
# 2 GB per task; here each task gets 1 CPU and 1 GB so that two run side by side on 2 cores.
submit() {
    local id
    id=$(ARCHIVE="$archive" OUT="$1" MEDLYT="$medlyt" SHARDS=$shards \
        sbatch --parsable --array="$2" --cpus-per-task=1 --mem=1G --chdir="$tmp" \
        --output="$tmp/log/%x-%A_%a.out" "$job") || fail "sbatch refused the README's script"
    echo "${id%%;*}"
}
# Submits the merge as the README has it: a job that waits for every task of job $1 to
# complete and then aggregates the shards under $2 into $2/all. Prints its id.
submit_merge() {
    local id
    id=$(sbatch --parsable --dependency=afterok:"$1" --output="$tmp/log/merge-%j.out" --chdir="$tmp" \
        --wrap "$medlyt aggregate $2/shard-* -o $2/all") || fail "sbatch refused the merge job"
    echo "${id%%;*}"
}
# Waits until no task of job $1 is left in the queue, printing each change of the queue.
wait_job() {
    local last="" now deadline=$((SECONDS + ${2:-240}))
    while :; do
        if now=$(squeue -h -j "$1" -o '%i:%T' 2>/dev/null | sort | tr '\n' ' '); then
            [ "$now" != "$last" ] && echo "    $(date +%T) queue: ${now:-empty}"
            last=$now
            [ -z "$now" ] && return 0
        fi
        [ "$SECONDS" -lt "$deadline" ] || fail "job $1 still queued after ${2:-240} s"
        sleep 0.3
    done
}
# One line per task of job $1: index, job id, state, exit code, restarts.
states() {
    scontrol -o show job "$1" | awk '{
        split("", v)
        for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); x = $i; sub(/^[^=]*=/, "", x); v[k] = x }
        printf "%s %s %s %s %s\n", v["ArrayTaskId"], v["JobId"], v["JobState"], v["ExitCode"], v["Restarts"]
    }' | sort -n
}
print_states() {
    states "$1" | while read -r k id st ec rs; do
        echo "    task $k (job $id): $st, exit code $ec, restarts $rs"
    done
}
# Fails unless every task of job $1 completed with exit code 0.
all_completed() {
    local bad
    bad=$(states "$1" | awk '$3 != "COMPLETED" || $4 != "0:0"')
    [ -z "$bad" ] || fail "job $1: tasks not completed: $bad"
}
state_of() { squeue -h -j "$1" -o %T 2>/dev/null || true; }
# The merged outputs in $1 must equal the single batch's.
same_as_single() {
    local f
    for f in aggregate.json calls.csv failures.jsonl results.jsonl summary.md; do
        [ -f "$1/$f" ] || fail "$2: no $f"
        if ! cmp -s "$single/$f" "$1/$f"; then
            diff "$single/$f" "$1/$f" | head -n 20 >&2
            fail "$2: $f differs from the single batch's"
        fi
    done
    # summary.html links to the calls' reports in the shard folders instead of calls/.
    sed -E 's#href="\.\./shard-[0-9]+/calls/#href="calls/#g' "$1/summary.html" | cmp -s "$single/summary.html" - \
        || fail "$2: summary.html differs from the single batch's (beyond its links)"
    local link n=0
    for link in $(grep -o 'href="\.\./shard-[0-9]*/calls/[^"]*/report\.html"' "$1/summary.html" | sed 's/^href="//; s/"$//'); do
        [ -f "$1/$link" ] || fail "$2: summary.html links to $link, which is not there"
        n=$((n + 1))
    done
    local twice
    twice=$(grep -o '"input":"[^"]*"' "$1/results.jsonl" | sort | uniq -d)
    [ -z "$twice" ] || fail "$2: calls listed twice: $twice"
    echo "  $2: aggregate.json, calls.csv, failures.jsonl, results.jsonl, summary.md byte for byte" \
        "the single batch's, summary.html too apart from its $n links into the shard folders;" \
        "$(wc -l <"$1/results.jsonl") calls, each once, $(wc -l <"$1/failures.jsonl") failed"
}
aggregate() { "$medlyt" aggregate "$1"/shard-* -o "$1/all" >"$tmp/log/aggregate-$(basename "$1").out" 2>&1; }
finished() { find "$1/calls" -name result.json 2>/dev/null | wc -l; }
# inode and modification time of every result.json under $1: a call redone is written anew.
snapshot() { find "$1/calls" -name result.json -printf '%i %T@ %P\n' 2>/dev/null | sort -k3; }
# Waits until task $2 of job $1 is in the middle of its shard $3: every call but the recording
# finished, and the recording under way for a second (its transcription takes several).
wait_midway() {
    local deadline=$((SECONDS + 120)) since=""
    while :; do
        if [ -f "$3/calls/$rec_name/.in-flight.json" ] && [ "$(finished "$3")" -ge "$((shard_calls - 1))" ] \
            && [ "$(state_of "${1}_$2")" = RUNNING ]; then
            [ -n "$since" ] || since=$(date +%s%N)
            [ $(($(date +%s%N) - since)) -ge 1000000000 ] && return 0
        fi
        [ -f "$3/calls/$rec_name/result.json" ] && fail "task $2 finished the recording before it could be stopped"
        [ "$SECONDS" -lt "$deadline" ] || fail "task $2 did not reach the recording within 120 s"
        sleep 0.1
    done
}
# The calls that were finished when the task was stopped must not have been redone.
not_redone() {
    local now
    now=$(snapshot "$2" | grep -v " $rec_name/result.json$" || true)
    [ "$now" = "$1" ] || { diff <(echo "$1") <(echo "$now") >&2; fail "$3: calls finished before the stop were written again"; }
    [ -f "$2/calls/$rec_name/result.json" ] || fail "$3: the recording was not analysed after the restart"
    [ -z "$(find "$2" -name .in-flight.json)" ] || fail "$3: a call is still marked in flight"
}

# --- 1. the whole array -------------------------------------------------------------------------
echo "test-slurm: 1. the array 0-$((shards - 1)) over the archive"
a="$tmp/a"
ja=$(submit "$a" 0-$((shards - 1)))
jm=$(submit_merge "$ja" "$a")
echo "    job $ja submitted, and job $jm (--dependency=afterok:$ja) to merge its shards"
wait_job "$ja"
wait_job "$jm"
print_states "$ja"
all_completed "$ja"
merge_state=$(scontrol -o show job "$jm" | grep -o 'JobState=[A-Z]*')
[ "$merge_state" = JobState=COMPLETED ] || { cat "$tmp/log/merge-$jm.out" >&2; fail "the merge job ended $merge_state"; }
echo "    merge job $jm: COMPLETED after the array"
same_as_single "$a/all" "array"
# The shard that holds the recording, and the recording's call folder.
k=$(grep -l "\"input\":\"$recording\"" "$a"/shard-*/results.jsonl | sed -E 's#.*/shard-([0-9]+)/results.jsonl#\1#')
[ -n "$k" ] || fail "no shard analysed $recording"
rec_name=$(grep "\"input\":\"$recording\"" "$a/shard-$k/results.jsonl" | grep -o '"name":"[^"]*"' | sed 's/^"name":"//; s/"$//')
shard_calls=$(wc -l <"$a/shard-$k/results.jsonl")
[ "$shard_calls" -ge 2 ] || fail "shard $k holds only the recording: nothing to resume"
echo "    shard $k holds the recording and $((shard_calls - 1)) other calls: its task is stopped in 2. and 3."

# --- 2. a task requeued while it runs ------------------------------------------------------------
echo "test-slurm: 2. task $k requeued (scontrol requeue) while it transcribes the recording"
b="$tmp/b"
jb=$(submit "$b" 0-$((shards - 1)))
echo "    job $jb submitted"
wait_midway "$jb" "$k" "$b/shard-$k"
echo "    $(date +%T) task $k: $(finished "$b/shard-$k") of $shard_calls calls finished, the recording under way; requeueing"
scontrol requeue "${jb}_$k"
for _ in $(seq 1 100); do
    [ "$(state_of "${jb}_$k")" = PENDING ] && break
    sleep 0.1
done
[ "$(state_of "${jb}_$k")" = PENDING ] || fail "task $k is not pending after the requeue: $(state_of "${jb}_$k")"
[ -f "$b/shard-$k/calls/$rec_name/.in-flight.json" ] || fail "the recording is not marked in flight after the requeue"
before=$(snapshot "$b/shard-$k")
echo "    $(date +%T) task $k pending again, $(echo "$before" | wc -l) calls finished in its shard, the recording marked in flight"
if aggregate "$b"; then
    fail "medlyt aggregate merged the shards while task $k was requeued"
fi
echo "    medlyt aggregate meanwhile refuses: $(tail -n 1 "$tmp/log/aggregate-b.out")"
# Slurm holds a requeued job for about 2 minutes (its BeginTime) before starting it again.
# slurmd refuses a job's launch whose credential is from the same second as the revocation the
# requeue made ("Job credential revoked"), so the new start waits for the next seconds.
raw=$(squeue -h -j "${jb}_$k" -o %A)
sleep 2
scontrol update JobId="$raw" StartTime=now
wait_job "$jb"
print_states "$jb"
all_completed "$jb"
[ "$(states "$jb" | awk -v k="$k" '$1 == k { print $5 }')" = 1 ] || fail "task $k was not restarted once"
grep -q 'DUE TO JOB REQUEUE' "$tmp/log/medlyt-baseline-${jb}_$k.out" \
    || fail "the log of task $k does not show the requeue"
not_redone "$before" "$b/shard-$k" "requeue"
echo "    the $(echo "$before" | wc -l) calls finished before the requeue kept their result.json (same inode and time); the recording was analysed once more"
echo "    log of task $k:"
sed 's/^/      | /' "$tmp/log/medlyt-baseline-${jb}_$k.out"
aggregate "$b" || { cat "$tmp/log/aggregate-b.out" >&2; fail "medlyt aggregate after the requeue failed"; }
same_as_single "$b/all" "after the requeue"
diff -r "$a/shard-$k" "$b/shard-$k" >"$tmp/log/diff-requeued-shard.txt" 2>&1 \
    || { head -n 20 "$tmp/log/diff-requeued-shard.txt" >&2; fail "shard $k after the requeue differs from the uninterrupted shard $k"; }
echo "  shard $k after the requeue: every file the same as in the uninterrupted run (diff -r)"

# --- 3. a task killed, its index submitted again -------------------------------------------------
echo "test-slurm: 3. task $k fails (its medlyt killed with SIGKILL) while it runs, then is submitted again alone (--array=$k)"
c="$tmp/c"
jc=$(submit "$c" 0-$((shards - 1)))
jm=$(submit_merge "$jc" "$c")
echo "    job $jc submitted, and job $jm (--dependency=afterok:$jc) to merge its shards"
wait_midway "$jc" "$k" "$c/shard-$k"
echo "    $(date +%T) task $k: $(finished "$c/shard-$k") of $shard_calls calls finished, the recording under way; killing its medlyt"
# The task's medlyt process (this test's binary, with the task's Slurm variables in its
# environment): killed as the out-of-memory killer would, so the job script sees exit code 137
# and the task fails.
victim=""
for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$medlyt" ] || continue
    env_of=$(tr '\0' '\n' <"$p/environ" 2>/dev/null || true)
    grep -qx "SLURM_ARRAY_JOB_ID=$jc" <<<"$env_of" && grep -qx "SLURM_ARRAY_TASK_ID=$k" <<<"$env_of" \
        && victim=${p#/proc/}
done
[ -n "$victim" ] || fail "no medlyt process found for task $k"
kill -KILL "$victim"
wait_job "$jc"
print_states "$jc"
failed_state=$(states "$jc" | awk -v k="$k" '$1 == k { print $3 }')
[ "$failed_state" = FAILED ] || fail "task $k is $failed_state after its medlyt was killed, not FAILED"
[ -z "$(states "$jc" | awk -v k="$k" '$1 != k && $3 != "COMPLETED"')" ] || fail "job $jc: another task did not complete"
for _ in $(seq 1 50); do
    reason=$(squeue -h -j "$jm" -o %r 2>/dev/null || true)
    [ "$reason" = DependencyNeverSatisfied ] && break
    sleep 0.2
done
[ "$reason" = DependencyNeverSatisfied ] || fail "merge job $jm: ${reason:-gone} instead of waiting on a dependency never satisfied"
[ ! -e "$c/all" ] || fail "the merge job ran although task $k failed"
scancel "$jm"
echo "    merge job $jm: not started (DependencyNeverSatisfied), cancelled"
before=$(snapshot "$c/shard-$k")
if aggregate "$c"; then
    fail "medlyt aggregate merged the shards although task $k failed"
fi
echo "    medlyt aggregate meanwhile refuses: $(tail -n 1 "$tmp/log/aggregate-c.out")"
jc2=$(submit "$c" "$k")
echo "    job $jc2 submitted (--array=$k)"
wait_job "$jc2"
print_states "$jc2"
all_completed "$jc2"
not_redone "$before" "$c/shard-$k" "resubmission"
echo "    the $(echo "$before" | wc -l) calls finished before the kill kept their result.json; the recording was analysed once more"
echo "    log of the resubmitted task:"
sed 's/^/      | /' "$tmp/log/medlyt-baseline-${jc2}_$k.out"
aggregate "$c" || { cat "$tmp/log/aggregate-c.out" >&2; fail "medlyt aggregate after the resubmission failed"; }
same_as_single "$c/all" "after the resubmission"
diff -r "$a/shard-$k" "$c/shard-$k" >"$tmp/log/diff-resubmitted-shard.txt" 2>&1 \
    || { head -n 20 "$tmp/log/diff-resubmitted-shard.txt" >&2; fail "shard $k after the resubmission differs from the uninterrupted shard $k"; }
echo "  shard $k after the resubmission: every file the same as in the uninterrupted run (diff -r)"

ok=1
echo "test-slurm: passed in $((SECONDS - started)) s"
