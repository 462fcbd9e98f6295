#!/usr/bin/env bash
# End-to-end test of the Slurm job-array recipe in docs/cluster.md, on a real single-node Slurm
# cluster started on this machine (localhost only).
#
#   bash tests/slurm/e2e.sh                              # builds target/release/hedgesim first
#   HEDGESIM=/path/to/hedgesim bash tests/slurm/e2e.sh   # tests that binary instead
#
# Needs root on Debian (it installs slurm-wlm and munge if missing); needs no systemd: it starts
# munged, slurmctld and slurmd itself, with a private configuration, munge socket, ports, state and
# logs under a temporary folder, and stops them and removes the folder on exit, pass or fail.
#
# What it proves:
#   1. shard.sbatch, merge.sbatch and submit.sh, taken verbatim from docs/cluster.md's code blocks
#      and only resized (4 shards, 1 thread each, --series), run as a job array plus a merge job
#      with --dependency=afterok, and every job exits 0;
#   2. the merged runs.csv, summary.csv and series.csv are byte-identical to the same sweep run
#      whole on this machine without Slurm;
#   3. a shard left as a kill leaves it (.partial files, a torn last row), resubmitted with the
#      doc's `sbatch --array=I shard.sbatch --resume`, merges to the same bytes again.
#
# Environment: HEDGESIM (binary to test), CARGO_TARGET_DIR (where to build it), JOB_TIMEOUT
# (seconds to wait for the jobs, default 120), KEEP_TMP=1 (keep the temporary folder).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOC=$REPO/docs/cluster.md
SWEEP_SRC=$REPO/sweeps/teaching-hostility-gamma.toml
SHARDS=4
REPLICATIONS=50
JOB_TIMEOUT=${JOB_TIMEOUT:-120}
START=$SECONDS

say() { printf 'slurm e2e: %s\n' "$*"; }
die() {
  printf 'slurm e2e: FAIL: %s\n' "$*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || die "must run as root: it installs packages and starts munged, slurmctld and slurmd"

# --- 1. packages ---------------------------------------------------------------------------------
missing=()
for cmd in slurmctld slurmd sbatch squeue scontrol sinfo scancel munged munge unmunge mungekey; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if ((${#missing[@]})); then
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # Without systemd, the packages' postinst would start munge, slurmctld and slurmd from
  # /etc/init.d (and fail, having no slurm.conf): forbid that for the install, as Docker images do.
  policy=''
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  ok=1 aptlog=$(mktemp)
  { apt-get update -q && apt-get install -y -q slurm-wlm slurm-client munge; } >"$aptlog" 2>&1 || ok=0
  [[ -z $policy ]] || rm -f "$policy"
  ((ok)) || { tail -n 30 "$aptlog" >&2; die "apt-get update / apt-get install slurm-wlm slurm-client munge failed"; }
  rm -f "$aptlog"
  for cmd in "${missing[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after installing slurm-wlm and munge"
  done
fi
say "$(slurmctld -V), $(munged -V 2>&1 | awk '{print $1; exit}')"

# --- 2. the binary under test ------------------------------------------------------------------------
if [[ -n ${HEDGESIM:-} ]]; then
  BIN=$(realpath "$HEDGESIM")
else
  say "building hedgesim (cargo build --release --locked)"
  (cd "$REPO" && cargo build --release --locked --quiet) || die "cargo build failed"
  BIN=$(cd "$REPO" && realpath -m "${CARGO_TARGET_DIR:-target}")/release/hedgesim
fi
[[ -x $BIN ]] || die "no hedgesim binary at $BIN"
say "hedgesim under test: $BIN"

# --- temporary state, and stopping everything on exit ------------------------------------------------
T=$(mktemp -d /tmp/hedgesim-slurm-e2e.XXXXXX)
chmod 755 "$T" # the munge user must reach its socket folder inside
mkdir -p "$T/etc" "$T/state" "$T/spool/slurmd" "$T/log" "$T/work"
MUNGED_PID='' CTLD_PID='' SLURMD_PID='' JOB_IDS=()

stop() { # stop one daemon we started: pid, name
  local pid=$1 name=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  say "$name (pid $pid) ignored SIGTERM for 10 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

show_logs() {
  local f
  for f in "$T"/log/*.log "$T"/log/*.out "$T"/log/jobcomp.txt "$T"/work/logs/*; do
    [[ -s $f ]] || continue
    printf '\n----- %s (last 25 lines) -----\n' "${f#"$T"/}" >&2
    tail -n 25 "$f" >&2
  done
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if ((rc != 0)); then
    printf '\nslurm e2e: FAILED (exit %d); logs follow\n' "$rc" >&2
    if [[ -n $CTLD_PID ]]; then
      scontrol show node >&2 2>&1
      squeue >&2 2>&1
    fi
    show_logs
  fi
  if ((${#JOB_IDS[@]})) && [[ -n $CTLD_PID ]]; then
    scancel "${JOB_IDS[@]}" 2>/dev/null
  fi
  stop "$SLURMD_PID" slurmd
  stop "$CTLD_PID" slurmctld
  stop "$MUNGED_PID" munged
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    say "kept $T"
  else
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 3. munge: a private daemon on its own socket ----------------------------------------------------
KEY=/etc/munge/munge.key
if [[ ! -s $KEY ]]; then
  say "creating $KEY"
  install -d -o munge -g munge -m 700 /etc/munge
  mungekey --create --keyfile="$KEY"
fi
chown munge:munge /etc/munge "$KEY"
chmod 700 /etc/munge
chmod 400 "$KEY"
install -d -o munge -g munge -m 755 "$T/munge"
MUNGE_SOCKET=$T/munge/munge.socket
setpriv --reuid=munge --regid=munge --init-groups \
  munged --foreground --socket="$MUNGE_SOCKET" --key-file="$KEY" --pid-file="$T/munge/munged.pid" \
  --seed-file="$T/munge/munged.seed" --log-file="$T/log/munged.log" >"$T/log/munged.out" 2>&1 &
MUNGED_PID=$!
for ((i = 0; ; i++)); do
  munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1 && break
  kill -0 "$MUNGED_PID" 2>/dev/null || die "munged exited at start"
  ((i < 100)) || die "munged did not answer on $MUNGE_SOCKET within 10 s"
  sleep 0.1
done
say "munged up (pid $MUNGED_PID)"

# --- 4. slurm.conf for one node on localhost, on two free ports ----------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # first free port at or after $1
  local p=$1
  while ! port_free "$p"; do ((p++)); done
  echo "$p"
}
CTLD_PORT=$(free_port 16817)
SLURMD_PORT=$(free_port $((CTLD_PORT + 1)))
NODE=$(hostname -s)
CPUS=$(nproc)
export SLURM_CONF=$T/etc/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=hedgesim-e2e
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/slurmd
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$T/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
DependencyParameters=kill_invalid_depend
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=1000 State=UNKNOWN
PartitionName=e2e Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

# --- 5. slurmctld and slurmd, until the node is idle ---------------------------------------------------
slurmctld -D -c -i -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
CTLD_PID=$!
for ((i = 0; ; i++)); do
  scontrol ping 2>/dev/null | grep -q 'is UP' && break
  kill -0 "$CTLD_PID" 2>/dev/null || die "slurmctld exited at start"
  ((i < 300)) || die "slurmctld did not answer within 30 s"
  sleep 0.1
done
slurmd -D -N "$NODE" -f "$SLURM_CONF" >"$T/log/slurmd.out" 2>&1 &
SLURMD_PID=$!
for ((i = 0; ; i++)); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  kill -0 "$SLURMD_PID" 2>/dev/null || die "slurmd exited at start"
  kill -0 "$CTLD_PID" 2>/dev/null || die "slurmctld died"
  if [[ $state == down* || $state == drain* ]] && ((i % 20 == 10)); then
    scontrol update nodename="$NODE" state=resume 2>/dev/null || true
  fi
  ((i < 600)) || die "node $NODE not idle within 60 s (state: ${state:-none})"
  sleep 0.1
done
say "slurm up: node $NODE idle with $CPUS CPUs (slurmctld pid $CTLD_PID port $CTLD_PORT, slurmd pid $SLURMD_PID port $SLURMD_PORT)"

# --- 6. the recipe, from docs/cluster.md --------------------------------------------------------------
# Print the fenced code block of docs/cluster.md that contains "# file: NAME".
doc_block() {
  awk -v tag="# file: $1" '
    /^```/ { if (inside) { if (found) { printf "%s", buf; exit } inside = 0; buf = "" } else inside = 1; next }
    inside { buf = buf $0 "\n"; if (index($0, tag) == 1) found = 1 }
  ' "$DOC"
}
# Apply one sed substitution to a file, failing if it changed nothing (the doc moved on).
resize() {
  local file=$1 from=$2 to=$3
  grep -qE -- "$from" "$file" || die "docs/cluster.md's $(basename "$file") has no line matching '$from'; update tests/slurm/e2e.sh"
  sed -E -i "s|$from|$to|" "$file"
}
W=$T/work
cd "$W"
for f in shard.sbatch merge.sbatch submit.sh; do
  # shellcheck disable=SC2094 # doc_block reads docs/cluster.md, not $f
  doc_block "$f" >"$f"
  [[ -s $f ]] || die "no code block with '# file: $f' in docs/cluster.md"
done
resize shard.sbatch '^#SBATCH --array=0-63$' "#SBATCH --array=0-$((SHARDS - 1))"
resize shard.sbatch '^N=64 ' "N=$SHARDS "
resize shard.sbatch '^#SBATCH --cpus-per-task=8$' '#SBATCH --cpus-per-task=1'
resize shard.sbatch ' --quiet ' ' --series --quiet '

# The sweep: the sample sweep with fewer replications, its scenario path made absolute.
scenario=$(sed -nE 's/^scenario *= *"([^"]+)".*/\1/p' "$SWEEP_SRC")
[[ -n $scenario ]] || die "no scenario = \"...\" line in $SWEEP_SRC"
scenario=$(cd "$(dirname "$SWEEP_SRC")" && realpath "$scenario")
sed -E -e "s|^scenario *=.*|scenario = \"$scenario\"|" -e "s|^replications *=.*|replications = $REPLICATIONS|" \
  "$SWEEP_SRC" >spec.toml
grep -q "^replications = $REPLICATIONS$" spec.toml || die "could not set replications in spec.toml"
"$BIN" sweep spec.toml --out sizing --dry-run --series --shard "0/$SHARDS" --threads 1 | sed 's/^/  /'

PATH="$(dirname "$BIN"):$PATH" # the doc's scripts call `hedgesim` from PATH (sbatch passes it on)
export PATH
[[ $(command -v hedgesim) == "$BIN" ]] || die "hedgesim on PATH is $(command -v hedgesim), not $BIN"

# Wait until every job given (array jobs include all their tasks) has ended, then require each to
# have COMPLETED with exit code 0:0. Prints one line per job.
job_field() { grep -o " $1=[^ ]*" <<<" $2" | head -n 1 | cut -d= -f2-; }
wait_jobs() {
  local deadline=$((SECONDS + JOB_TIMEOUT)) lines line state active bad=0 id
  while :; do
    lines=$(for id in "$@"; do scontrol -o show job "$id"; done) || die "scontrol show job $* failed"
    active=0
    while IFS= read -r line; do
      state=$(job_field JobState "$line")
      case $state in
        PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | RESIZING) active=1 ;;
      esac
    done <<<"$lines"
    ((active)) || break
    ((SECONDS < deadline)) || { printf '%s\n' "$lines" >&2; die "jobs $* not finished within ${JOB_TIMEOUT} s"; }
    sleep 0.5
  done
  while IFS= read -r line; do
    id=$(job_field JobId "$line")
    [[ -n $(job_field ArrayTaskId "$line") ]] && id="$(job_field ArrayJobId "$line")_$(job_field ArrayTaskId "$line")"
    state=$(job_field JobState "$line")
    printf '  job %-5s %-14s %-10s exit %s\n' "$id" "$(job_field JobName "$line")" "$state" "$(job_field ExitCode "$line")"
    [[ $state == COMPLETED && $(job_field ExitCode "$line") == 0:0 ]] || bad=1
  done <<<"$lines"
  ((bad == 0)) || die "a job did not complete with exit code 0 (reason: see above and the logs)"
}

compare() { # merged whole: the three files must be byte-identical, the sweep_id the same
  local f
  for f in runs.csv summary.csv series.csv; do
    [[ -s $1/$f && -s $2/$f ]] || die "$f missing from $1 or $2"
    cmp "$1/$f" "$2/$f" || die "$1/$f and $2/$f differ"
  done
  sid() { sed -nE 's/.*"sweep_id": *"([0-9a-f]+)".*/\1/p' "$1/manifest.json"; }
  [[ -n $(sid "$1") && $(sid "$1") == $(sid "$2") ]] || die "sweep_id of $1 and $2 differ"
}

say "submitting the recipe: bash submit.sh ($SHARDS shards + merge)"
ARRAY_JOB_ID='' MERGE_JOB_ID=''
# shellcheck source=/dev/null
source ./submit.sh >"$T/log/submit.out" # sourced rather than run, to get its job ids
sed 's/^/  /' "$T/log/submit.out"
[[ $ARRAY_JOB_ID =~ ^[0-9]+$ && $MERGE_JOB_ID =~ ^[0-9]+$ ]] || die "submit.sh did not submit two jobs"
JOB_IDS=("$ARRAY_JOB_ID" "$MERGE_JOB_ID")
wait_jobs "$ARRAY_JOB_ID" "$MERGE_JOB_ID"
for ((i = 0; i < SHARDS; i++)); do
  [[ -f shards/$i/manifest.json ]] || die "shards/$i has no manifest.json"
done
[[ -f merged/manifest.json ]] || die "merged/ has no manifest.json"

say "the same sweep on one machine, without Slurm: hedgesim sweep spec.toml --out whole --series --quiet"
"$BIN" sweep spec.toml --out whole --series --quiet
compare merged whole
say "merged == whole: runs.csv, summary.csv, series.csv identical"

# --- 7. resume: leave shard 2 as a kill would, resubmit it with --resume, merge again ----------------
# A killed shard keeps manifest.partial.json and *.partial data files; series rows are flushed
# before the runs rows that promise them, and a kill can tear the last line of either.
d=shards/2
started=$(grep '"started"' "$d/manifest.json")
rows=$(($(wc -l <"$d/runs.csv") - 1))
keep=$((rows / 2))
{ head -n $((keep + 1)) "$d/runs.csv"; sed -n "$((keep + 2))p" "$d/runs.csv" | head -c 40; } >"$d/runs.csv.partial"
turns_rows=$(($(wc -l <"$d/series.csv") - 1))
series_keep=$(((keep + 3) * turns_rows / rows))
{ head -n $((series_keep + 1)) "$d/series.csv"; sed -n "$((series_keep + 2))p" "$d/series.csv" | head -c 25; } >"$d/series.csv.partial"
mv "$d/manifest.json" "$d/manifest.partial.json"
rm "$d/runs.csv" "$d/series.csv" "$d/summary.csv"
rm -rf merged
sleep 1 # so that a fresh start (rather than a resume) would show in the shard's "started" time
say "interrupted $d after $keep of $rows runs; resubmitting: sbatch --parsable --array=2 shard.sbatch --resume"
RESUME_JOB_ID=$(sbatch --parsable --array=2 shard.sbatch --resume)
RESUME_JOB_ID=${RESUME_JOB_ID%%;*}
MERGE2_JOB_ID=$(sbatch --parsable --dependency=afterok:"$RESUME_JOB_ID" merge.sbatch)
MERGE2_JOB_ID=${MERGE2_JOB_ID%%;*}
JOB_IDS+=("$RESUME_JOB_ID" "$MERGE2_JOB_ID")
wait_jobs "$RESUME_JOB_ID" "$MERGE2_JOB_ID"
[[ ! -e $d/runs.csv.partial && -f $d/manifest.json ]] || die "$d was not finished by --resume"
# A resumed shard keeps the start time of the interrupted one; a fresh start would not.
[[ $(grep '"started"' "$d/manifest.json") == "$started" ]] || die "$d was run afresh, not resumed"
compare merged whole
say "resumed shard + merge == whole: runs.csv, summary.csv, series.csv identical"

runs=$(($(wc -l <whole/runs.csv) - 1))
say "PASS in $((SECONDS - START)) s: $SHARDS shards + merge == single-machine sweep ($runs runs; runs.csv, summary.csv, series.csv identical), also after resuming a killed shard"
