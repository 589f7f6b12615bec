#!/usr/bin/env bash
# Prove the Slurm path for real (not part of CI: it needs root and a few minutes).
#
#   sudo bash deploy/slurm/prove-slurm.sh [SHARDS] [TRIALS]
#
# Installs Debian's slurm-wlm and munge, starts a single-node cluster on localhost, submits
# deploy/slurm/naplab-array.sbatch as an array of SHARDS tasks, waits, merges the shards with
# `naplab merge`, runs the same comparison as one process, and checks that the totals are equal.
# The output of the last run is recorded in deploy/slurm/LAST-RUN.md.
set -euo pipefail
shards=${1:-4}
trials=${2:-20000}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/naplab-slurm.XXXXXX)
chmod 755 "$work"
log() { printf '[prove-slurm] %s\n' "$*"; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[[ -f $root/apps/cli/dist/bin.js ]] || { log "building naplab"; (cd "$root" && pnpm install --frozen-lockfile && pnpm build); }

host=$(hostname -s)
log "starting munge and a single-node cluster on $host (localhost)"
mkdir -p /etc/munge /var/log/munge /run/munge /var/lib/munge /etc/slurm /var/lib/slurm/slurmd /var/lib/slurm/slurmctld /var/log/slurm
[[ -f /etc/munge/munge.key ]] || { mungekey -c -f 2>/dev/null || create-munge-key -f; }
chown -R munge:munge /etc/munge /var/log/munge /run/munge /var/lib/munge 2>/dev/null || true
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- munged --force
cpus=$(nproc)
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=naplab
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=naplab Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pkill -x slurmctld 2>/dev/null || true
pkill -x slurmd 2>/dev/null || true
sleep 1
slurmctld -c
slurmd -c
for _ in $(seq 1 30); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE 'idle|mixed' && break
  sleep 1
done
sinfo
scontrol update nodename="$host" state=resume 2>/dev/null || true

export NAPLAB_ROOT=$root NAPLAB_OUT=$work/out NAPLAB_TRIALS=$trials NAPLAB_SEED=7 NAPLAB_SCENARIO=power8-cede NAPLAB_VARIANTS=baseline,buggy,fixed,nosync NAPLAB_MEMORY=sc
log "submitting an array of $shards shards x $trials trials per variant"
(cd "$work" && sbatch --wait --export=ALL --array=1-"$shards" "$root/deploy/slurm/naplab-array.sbatch")
sacct_state=$(squeue -h 2>/dev/null | wc -l)
log "array done (jobs left in the queue: $sacct_state); shard files:"
ls -1 "$NAPLAB_OUT"

node "$root/apps/cli/dist/bin.js" merge "$NAPLAB_OUT"/shard-*/ --json > "$work/merged.json"
node "$root/apps/cli/dist/bin.js" compare power8-cede --variants "$NAPLAB_VARIANTS" --trials "$trials" --seed 7 --memory sc --json > "$work/single.json"
node -e '
const fs = require("fs");
const pick = (f) => JSON.parse(fs.readFileSync(f, "utf8")).variants.map((v) => ({ variant: v.variant, trials: v.trials, outcomes: v.outcomes, wakeups: v.wakeups, syncsTotal: v.syncsTotal, counters: v.counters }));
const a = pick(process.argv[1]), b = pick(process.argv[2]);
for (const v of a) console.log(`${v.variant.padEnd(9)} trials ${v.trials}  outcomes ${JSON.stringify(v.outcomes)}`);
if (JSON.stringify(a) !== JSON.stringify(b)) { console.error("MISMATCH between the merged Slurm shards and the single-process run"); console.error(JSON.stringify(b, null, 1)); process.exit(1); }
console.log("merged Slurm shards == single-process run: identical totals for every variant");
' "$work/merged.json" "$work/single.json"
log "PASS (work directory: $work)"
