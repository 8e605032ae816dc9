# shellcheck shell=bash
# Sourced by the SLURM tests: a private one-node SLURM "cluster" on localhost
# (recipe and the errors it avoids: ../shared/reference/cluster.md, section 1).
# Nothing is shared with the machine: own munged (key, socket, pid, log), own
# slurm.conf + cgroup.conf (SLURM_CONF), state, spool, logs and pid files, all
# under one directory, and two TCP ports found free at run time. Every wait is
# bounded and every client call has a time limit, so a broken set-up fails with
# the daemons' logs instead of hanging.
#
#   cluster_start DIR   start munged, slurmctld, slurmd; wait until the node is idle
#   cluster_stop        cancel our jobs, stop the daemons by PID (safe to call twice)
#   cluster_logs        print the tail of every daemon log (for failures)
#   slurm_cli CMD...    run a SLURM client command with a time limit
# Needs root and the Debian packages slurmctld slurmd slurm-client munge.

CLUSTER_DIR='' MUNGE_PID='' CTLD_PID='' SLURMD_PID='' CTLD_PORT='' SLURMD_PORT=''

slurm_cli() { timeout 20 "$@"; }

# wait_until SECONDS CMD...: poll CMD every 0.2 s until it succeeds (0) or
# SECONDS of wall time have passed (1).
wait_until() {
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.2
  done
}

cluster_log() { echo "[slurm cluster] $*"; }

port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# Two free TCP ports next to each other (nothing answers on them), starting at
# a PID-dependent place so that overlapping runs (or a chroot sharing the
# host's network namespace) do not race for the same pair.
pick_ports() {
  local i p
  for i in $(seq 0 200); do
    p=$((20000 + (($$ * 7 + i * 2) % 20000)))
    if port_free "$p" && port_free $((p + 1)); then
      CTLD_PORT=$p SLURMD_PORT=$((p + 1))
      return 0
    fi
  done
  cluster_log "no free TCP port pair found in 20000-39999"
  return 1
}

daemon_alive() { kill -0 "$1" 2> /dev/null; }
daemon_gone() { ! daemon_alive "$1"; }

munge_works() { # SOCKET: a credential made and decoded through our munged
  daemon_alive "$MUNGE_PID" && munge -n -S "$1" 2> /dev/null | unmunge -S "$1" > /dev/null 2>&1
}

start_munged() {
  local m=$CLUSTER_DIR/munge
  mkdir -p "$m"
  chmod 0711 "$m" # clients need search permission to reach the socket
  dd if=/dev/urandom of="$m/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$m/munge.key"
  munged -F --force --socket="$m/munge.socket" --key-file="$m/munge.key" \
    --pid-file="$m/munged.pid" --log-file="$CLUSTER_DIR/munged.log" \
    --seed-file="$m/munged.seed" > "$CLUSTER_DIR/munged.out.log" 2>&1 &
  MUNGE_PID=$!
  wait_until 10 munge_works "$m/munge.socket" || {
    cluster_log "munged did not answer on $m/munge.socket within 10 s"
    return 1
  }
}

write_config() {
  # The node line from `slurmd -C` avoids "Node configuration differs from hardware".
  local hwline
  hwline=$(timeout 20 slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ RealMemory=.*//')
  [ -n "$hwline" ] || {
    cluster_log "slurmd -C printed no hardware line"
    return 1
  }
  # Addresses are given as IPs: a bare Debian root may have no /etc/hosts, and
  # then every client call spends ~11 s retrying getaddrinfo("localhost").
  cat > "$SLURM_CONF" << CONF
ClusterName=tinyfleet-ci
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$CLUSTER_DIR/munge/munge.socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MailProg=/usr/bin/true
KillWait=5
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/slurmd.log
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost $hwline State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  # slurmd (22.05) always loads a cgroup plugin; "autodetect" fails where
  # /sys/fs/cgroup is not mounted ("No filesystem mounted on /sys/fs/cgroup",
  # e.g. a chroot) and on cgroup v2 without systemd. The v1 plugin loads
  # without any mount, and nothing here uses cgroups (proctrack/linuxproc).
  echo "CgroupPlugin=cgroup/v1" > "$CLUSTER_DIR/cgroup.conf"
}

queue_empty() {
  local queued
  queued=$(slurm_cli squeue -h -o %i 2> /dev/null) && [ -z "$queued" ]
}

node_idle() {
  local state
  state=$(slurm_cli sinfo -h -N -o %T 2>> "$CLUSTER_DIR/client.log") || true
  [ "$state" = idle ] && return 0
  # A daemon that exited will not come back: stop waiting.
  daemon_alive "$CTLD_PID" || { cluster_log "slurmctld exited during start-up"; return 2; }
  daemon_alive "$SLURMD_PID" || { cluster_log "slurmd exited during start-up"; return 2; }
  return 1
}

cluster_start() {
  CLUSTER_DIR=$1
  mkdir -p "$CLUSTER_DIR"/{state,spool}
  # Our own configuration only, whatever the caller's environment (it may itself be a SLURM job).
  local v
  for v in $(compgen -e | grep '^SLURM_' || true); do unset "$v"; done
  export SLURM_CONF=$CLUSTER_DIR/slurm.conf
  pick_ports || return 1
  start_munged || return 1
  write_config || return 1
  slurmctld -D > "$CLUSTER_DIR/slurmctld.out.log" 2>&1 &
  CTLD_PID=$!
  slurmd -D -N localhost > "$CLUSTER_DIR/slurmd.out.log" 2>&1 &
  SLURMD_PID=$!
  local rc=0 end=$((SECONDS + 40))
  while :; do
    node_idle && break
    rc=$?
    [ $rc = 2 ] && return 1
    [ "$SECONDS" -lt "$end" ] || {
      cluster_log "node not idle after 40 s: '$(slurm_cli sinfo -h -N -o %T 2>&1)'"
      return 1
    }
    sleep 0.2
  done
  cluster_log "up: ports $CTLD_PORT/$SLURMD_PORT, directory $CLUSTER_DIR"
}

stop_daemon() { # TERM, then KILL after 10 s
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2> /dev/null || return 0
  wait_until 10 daemon_gone "$pid" || kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

cluster_stop() {
  if [ -n "$CTLD_PID" ] && daemon_alive "$CTLD_PID"; then
    # Cancel whatever is still queued or running so no job step outlives slurmd.
    local jobs
    jobs=$(slurm_cli squeue -h -o %i 2> /dev/null || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      slurm_cli scancel $jobs 2> /dev/null || true
      wait_until 15 queue_empty || true
    fi
  fi
  stop_daemon "$SLURMD_PID"
  stop_daemon "$CTLD_PID"
  stop_daemon "$MUNGE_PID"
  SLURMD_PID='' CTLD_PID='' MUNGE_PID=''
}

cluster_logs() {
  [ -n "$CLUSTER_DIR" ] || return 0
  local f
  for f in "$CLUSTER_DIR"/*.log; do
    [ -s "$f" ] || continue
    echo "==> $f (last 25 lines) <=="
    tail -n 25 "$f"
  done
}
