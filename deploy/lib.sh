# shellcheck shell=bash
# Shared helpers for the scripts in deploy/. Sourced, never run.
# Defines paths and small helpers only; sets no shell options of its own.

OMS_REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OMS_LOCAL_DIR="$(realpath -m -- "${OMS_LOCAL_DIR:-$OMS_REPO_DIR/.local}")"
export OMS_LOCAL_DIR

# The Debian python (has aiosmtpd and yaml from apt); a pyenv `python3` may come first on PATH.
OMS_PYTHON="${OMS_PYTHON:-/usr/bin/python3}"

# The toolchain lives in /opt/swift on the machines this project targets.
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH="/opt/swift/usr/bin:$PATH"
fi

oms_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
oms_die() { oms_log "error: $*"; exit 1; }

# Run a command as root: directly when root, else through sudo when available.
oms_as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else oms_die "needs root for: $* (no sudo available)"
    fi
}

# The prefix that runs a command as USER, in the array OMS_USER_CMD: nothing when we are USER,
# runuser when root (no login shell, so nologin users work), else sudo. Environment is passed
# with `env` in the command itself, because runuser and sudo both reset parts of it. The command
# runs in /: USER may not be allowed into the current folder (Erlang then fails to load code).
oms_user_cmd() {
    if [[ $(id -un) == "$1" ]]; then OMS_USER_CMD=()
    elif [[ $(id -u) -eq 0 ]]; then OMS_USER_CMD=(runuser -u "$1" -- env -C /)
    else OMS_USER_CMD=(sudo -u "$1" -- env -C /)
    fi
}
oms_as_user() { oms_user_cmd "$1"; shift; "${OMS_USER_CMD[@]}" "$@"; }

# True when something accepts TCP connections on 127.0.0.1:PORT.
oms_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when PID is alive and its command line or environment contains WORD (guards against
# reused pids). The environment is readable only by the process's user and root.
oms_pid_alive() {
    local pid=$1 word=$2
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    cat /proc/"$pid"/cmdline /proc/"$pid"/environ 2>/dev/null | tr '\0' '\n' | grep -qF -- "$word"
}

# True when PID has exited (a zombie counts: our detached children are reaped by init, late).
oms_pid_gone() {
    [[ ! -e /proc/$1/stat ]] || [[ $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) == Z ]]
}

# Wait until CMD... succeeds, at most SECONDS (polling every 0.2 s).
oms_wait_for() {
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# Phase timing: `oms_phase NAME` starts a phase and prints how long the previous one took.
OMS_PHASE_NAME=""
OMS_PHASE_START=0
OMS_PHASE_REPORT=""
oms_phase() {
    local now; now=$(date +%s)
    if [[ -n $OMS_PHASE_NAME ]]; then
        local line; line=$(printf '%-14s %4ds' "$OMS_PHASE_NAME" $((now - OMS_PHASE_START)))
        OMS_PHASE_REPORT+="$line"$'\n'
        oms_log "phase $OMS_PHASE_NAME done in $((now - OMS_PHASE_START))s"
    fi
    OMS_PHASE_NAME=${1:-}
    OMS_PHASE_START=$now
    [[ -z $OMS_PHASE_NAME ]] || oms_log "phase $OMS_PHASE_NAME"
}

# ---------------------------------------------------------------- the system's processes

# name:port of the four services, in start order (the gateway last, once its peers are up).
oms_services() {
    printf '%s\n' "oms-processor:${OMS_PROCESSOR_PORT:-9101}" "oms-notifier:${OMS_NOTIFIER_PORT:-9102}" \
        "oms-metrics:${OMS_METRICS_PORT:-9103}" "oms-gateway:${OMS_GATEWAY_PORT:-8080}"
}

# Start a background process NAME running CMD..., detached in its own session, with its log in
# $OMS_LOCAL_DIR/logs/NAME.log (the previous one kept as NAME.log.1) and its pid in run/NAME.pid.
oms_process_start() {
    local name=$1; shift
    local log="$OMS_LOCAL_DIR/logs/$name.log" pidfile="$OMS_LOCAL_DIR/run/$name.pid"
    mkdir -p "$OMS_LOCAL_DIR/logs" "$OMS_LOCAL_DIR/run"
    [[ ! -s $log ]] || mv -f "$log" "$log.1"
    # shellcheck disable=SC2016
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" </dev/null >"$log" 2>&1 &
    oms_wait_for 5 test -s "$pidfile" || oms_die "$name: did not start"
}

oms_process_running() {
    local pidfile="$OMS_LOCAL_DIR/run/$1.pid"
    [[ -f $pidfile ]] && oms_pid_alive "$(cat "$pidfile")" "$1"
}

# SIGTERM (the services finish what they hold and exit 0), SIGKILL after 20 s.
oms_process_stop() {
    local name=$1 pidfile="$OMS_LOCAL_DIR/run/$1.pid" pid
    if oms_process_running "$name"; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        if ! oms_wait_for 20 oms_pid_gone "$pid"; then
            oms_log "$name: still running after 20 s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        oms_log "$name: stopped"
    fi
    rm -f "$pidfile"
}
