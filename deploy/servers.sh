#!/usr/bin/env bash
# PostgreSQL, RabbitMQ and an SMTP catcher as local processes, with their data under
# $OMS_LOCAL_DIR (default <repo>/.local, git-ignored). No systemd, no container engine needed.
#
#   bash deploy/servers.sh install              apt-get install what is missing
#   bash deploy/servers.sh start  [NAME...]     start postgres, rabbitmq, smtp (idempotent)
#   bash deploy/servers.sh stop   [NAME...]     stop them
#   bash deploy/servers.sh status [NAME...]     exit 0 when all named servers run, else 3
#   bash deploy/servers.sh env                  print `export OMS_...=...` lines
#   source deploy/servers.sh                    export those variables; `oms_servers CMD` runs a command
#
# Settings: OMS_LOCAL_DIR, OMS_PG_PORT (55432), OMS_PG_BIN (newest /usr/lib/postgresql/*/bin),
# OMS_AMQP_PORT (5672), OMS_AMQP_MGMT_PORT (15672), OMS_AMQP_DIST_PORT (AMQP port + 20000),
# OMS_AMQP_NODE (rabbit@localhost), OMS_SMTP_PORT (2525).

# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OMS_PG_PORT="${OMS_PG_PORT:-55432}"
OMS_AMQP_PORT="${OMS_AMQP_PORT:-5672}"
OMS_AMQP_MGMT_PORT="${OMS_AMQP_MGMT_PORT:-15672}"
OMS_AMQP_DIST_PORT="${OMS_AMQP_DIST_PORT:-$((OMS_AMQP_PORT + 20000))}"
OMS_AMQP_NODE="${OMS_AMQP_NODE:-rabbit@localhost}"
OMS_SMTP_PORT="${OMS_SMTP_PORT:-2525}"

OMS_SERVER_PACKAGES=(postgresql rabbitmq-server libpq-dev librabbitmq-dev libmicrohttpd-dev
    libcurl4-openssl-dev libssl-dev pkg-config python3-aiosmtpd curl ca-certificates)

oms_servers_env() {
    printf 'export %s=%q\n' \
        OMS_DATABASE_URL "postgresql://postgres@127.0.0.1:$OMS_PG_PORT/oms" \
        OMS_AMQP_URL "amqp://guest:guest@127.0.0.1:$OMS_AMQP_PORT/%2f" \
        OMS_AMQP_MANAGEMENT_URL "http://guest:guest@127.0.0.1:$OMS_AMQP_MGMT_PORT" \
        OMS_SMTP_URL "smtp://127.0.0.1:$OMS_SMTP_PORT" \
        OMS_MAILDIR "$OMS_LOCAL_DIR/mail"
}

# ---------------------------------------------------------------- install

_srv_install() {
    local p missing=()
    for p in "${OMS_SERVER_PACKAGES[@]}"; do
        dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        oms_log "packages: all present"
        return 0
    fi
    oms_log "packages: installing ${missing[*]}"
    # Installing postgresql/rabbitmq-server on a host with an init system starts their system
    # services, which would take ports 5432/5672/25672. A temporary policy-rc.d stops that.
    local policy=/usr/sbin/policy-rc.d own_policy=0
    if [[ ! -e $policy ]]; then
        oms_as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
        own_policy=1
    fi
    local rc=0
    oms_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || rc=$?
    ((rc != 0)) || oms_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
    ((own_policy == 0)) || oms_as_root rm -f "$policy"
    ((rc == 0)) || oms_die "apt-get failed ($rc)"
}

# ---------------------------------------------------------------- data folders

# The real folder of server NAME (its link is followed when the data had to live elsewhere).
_srv_dir() {
    local p="$OMS_LOCAL_DIR/$1"
    if [[ -L $p ]]; then readlink -f -- "$p"; else printf '%s\n' "$p"; fi
}

# Create the folder of server NAME, owned by USER. Server users cannot always reach the repo
# (e.g. a clone under /root, mode 700); then the data lives under /var/tmp, linked from .local.
_srv_prepare_dir() {
    local name=$1 user=$2 p="$OMS_LOCAL_DIR/$1"
    mkdir -p "$OMS_LOCAL_DIR"
    if [[ ! -e $p && ! -L $p ]]; then
        if oms_as_user "$user" test -x "$OMS_LOCAL_DIR"; then
            mkdir -p "$p"
        else
            local real
            real="/var/tmp/oms-local-$(printf '%s' "$OMS_LOCAL_DIR" | cksum | cut -d' ' -f1)/$name"
            mkdir -p "$real" && chmod 755 "$(dirname "$real")"
            ln -s "$real" "$p"
            oms_log "$name: $user cannot reach $OMS_LOCAL_DIR; data lives in $real (linked from $p)"
        fi
    fi
    mkdir -p "$(_srv_dir "$name")"
    [[ $(id -un) == "$user" ]] || chown -R "$user": "$(_srv_dir "$name")"
}

_srv_check_port_free() { # NAME PORT VARIABLE
    ! oms_port_open "$2" || oms_die "$1: port $2 is taken by another process; choose another with $3=..."
}

# ---------------------------------------------------------------- PostgreSQL

_pg_user() { if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi; }
_pg_bin() {
    if [[ -n ${OMS_PG_BIN:-} ]]; then echo "$OMS_PG_BIN"; return; fi
    local ctl
    ctl=$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | grep -v '\*' | sort -V | tail -n 1)
    [[ -n $ctl ]] || oms_die "postgres: no /usr/lib/postgresql/*/bin/pg_ctl; run: bash deploy/servers.sh install"
    dirname "$ctl"
}
_pg_data() { echo "$(_srv_dir postgres)/data"; }
_pg_ctl() { oms_as_user "$(_pg_user)" "$(_pg_bin)/pg_ctl" -D "$(_pg_data)" "$@"; }
_pg_running() { [[ -f "$(_pg_data)/postmaster.pid" ]] && _pg_ctl status >/dev/null 2>&1; }

_pg_start() {
    local user bin data dir
    user=$(_pg_user); bin=$(_pg_bin)
    if _pg_running; then
        oms_log "postgres: already running ($(_pg_data))"
    else
        _srv_check_port_free postgres "$OMS_PG_PORT" OMS_PG_PORT
        _srv_prepare_dir postgres "$user"
        dir=$(_srv_dir postgres); data=$(_pg_data)
        if [[ ! -f $data/PG_VERSION ]]; then
            oms_log "postgres: initdb $data"
            # An explicit locale: the caller's LANG may name a locale this machine lacks.
            oms_as_user "$user" "$bin/initdb" -D "$data" -U postgres --auth=trust \
                --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
                || { cat "$dir/initdb.log" >&2; oms_die "postgres: initdb failed"; }
        fi
        # TCP on loopback only: no Unix socket, whose path length limit a deep checkout exceeds.
        oms_log "postgres: starting on 127.0.0.1:$OMS_PG_PORT"
        _pg_ctl -l "$dir/postgres.log" -w -t 60 -o "-p $OMS_PG_PORT -c listen_addresses=127.0.0.1 \
-c unix_socket_directories='' -c max_connections=200" start >/dev/null \
            || { tail -n 30 "$dir/postgres.log" >&2; oms_die "postgres: start failed"; }
    fi
    local psql=("$bin/psql" -h 127.0.0.1 -p "$OMS_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    if [[ $("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'oms'") != 1 ]]; then
        "${psql[@]}" -c 'CREATE DATABASE oms' >/dev/null
        oms_log "postgres: created database oms"
    fi
}

_pg_stop() {
    if _pg_running; then
        _pg_ctl stop -m fast -w -t 60 >/dev/null
        oms_log "postgres: stopped"
    else
        oms_log "postgres: not running"
    fi
}

# ---------------------------------------------------------------- RabbitMQ

_rmq_user() { if [[ $(id -u) -eq 0 ]]; then echo rabbitmq; else id -un; fi; }
_rmq_pidfile() { echo "$(_srv_dir rabbitmq)/rabbit.pid"; }

# The command line of a RabbitMQ tool (rabbitmq-server, rabbitmqctl, rabbitmq-plugins…) run as
# the broker's user, in the array RMQ_ARGV. Debian's wrapper in /usr/sbin is bypassed: it runs
# rabbitmq-plugins as root and drops our environment. HOME holds the Erlang cookie, which the
# server and the CLI tools must share.
_rmq_argv() {
    local tool=$1 user dir home
    shift
    user=$(_rmq_user); dir=$(_srv_dir rabbitmq)
    home=$(getent passwd "$user" | cut -d: -f6)
    oms_user_cmd "$user"
    RMQ_ARGV=("${OMS_USER_CMD[@]}" env HOME="$home"
        RABBITMQ_NODENAME="$OMS_AMQP_NODE"
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT="$OMS_AMQP_PORT"
        RABBITMQ_DIST_PORT="$OMS_AMQP_DIST_PORT"
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
        RABBITMQ_MNESIA_BASE="$dir/mnesia"
        RABBITMQ_LOG_BASE="$dir/log"
        RABBITMQ_PID_FILE="$dir/rabbit.pid"
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
        RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
        RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
        "/usr/lib/rabbitmq/bin/$tool" "$@")
}
_rmq() { _rmq_argv "$@"; "${RMQ_ARGV[@]}"; }

_rmq_running() {
    local pidfile; pidfile=$(_rmq_pidfile)
    [[ -f $pidfile ]] && oms_pid_alive "$(cat "$pidfile")" "RABBITMQ_MNESIA_BASE=$(_srv_dir rabbitmq)/mnesia"
}

_rmq_start() {
    local user dir
    user=$(_rmq_user)
    if _rmq_running; then
        oms_log "rabbitmq: already running ($OMS_AMQP_NODE)"
    else
        command -v epmd >/dev/null || oms_die "rabbitmq: not installed; run: bash deploy/servers.sh install"
        _srv_check_port_free rabbitmq "$OMS_AMQP_PORT" OMS_AMQP_PORT
        _srv_check_port_free rabbitmq-management "$OMS_AMQP_MGMT_PORT" OMS_AMQP_MGMT_PORT
        _srv_check_port_free rabbitmq-distribution "$OMS_AMQP_DIST_PORT" OMS_AMQP_DIST_PORT
        if epmd -names 2>/dev/null | grep -q "^name ${OMS_AMQP_NODE%@*} "; then
            oms_die "rabbitmq: a node named $OMS_AMQP_NODE already runs here; choose another with OMS_AMQP_NODE=name@localhost"
        fi
        # A data folder owned by root fails at boot (failed_to_create_feature_flags_file_directory).
        _srv_prepare_dir rabbitmq "$user"
        dir=$(_srv_dir rabbitmq)
        printf '%s\n' \
            "management.tcp.ip = 127.0.0.1" \
            "management.tcp.port = $OMS_AMQP_MGMT_PORT" \
            "loopback_users.guest = true" >"$dir/rabbitmq.conf"
        : >"$dir/rabbitmq-env.conf"   # so /etc/rabbitmq/rabbitmq-env.conf does not apply
        [[ $(id -un) == "$user" ]] || chown "$user": "$dir/rabbitmq.conf" "$dir/rabbitmq-env.conf"
        if ! grep -qs rabbitmq_management "$dir/enabled_plugins"; then
            _rmq rabbitmq-plugins --offline enable rabbitmq_management >"$dir/plugins.log" 2>&1 \
                || { cat "$dir/plugins.log" >&2; oms_die "rabbitmq: enabling the management plugin failed"; }
        fi
        # epmd outlives the broker; remember whether we are the ones starting it.
        if epmd -names >/dev/null 2>&1; then rm -f "$dir/epmd.ours"; else touch "$dir/epmd.ours"; fi
        rm -f "$dir/rabbit.pid"
        oms_log "rabbitmq: starting $OMS_AMQP_NODE on 127.0.0.1:$OMS_AMQP_PORT (management $OMS_AMQP_MGMT_PORT)"
        # Its own session, so a Ctrl-C meant for the caller does not reach the broker.
        _rmq_argv rabbitmq-server
        # Every connection and quorum queue costs file descriptors; the usual soft limit of 1024
        # runs out when many test systems share the broker (logins then time out). Raise it to
        # the hard limit, as the Debian service unit does.
        ( ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
          exec setsid "${RMQ_ARGV[@]}" ) </dev/null >"$dir/out.log" 2>&1 &
        local launcher=$! waited=0
        until oms_port_open "$OMS_AMQP_PORT" && oms_port_open "$OMS_AMQP_MGMT_PORT"; do
            sleep 0.5; waited=$((waited + 1))
            if ((waited > 240)) || oms_pid_gone "$launcher"; then
                tail -n 30 "$dir/out.log" >&2
                oms_die "rabbitmq: did not start (see $dir/out.log and $dir/log)"
            fi
        done
    fi
    _rmq rabbitmqctl -n "$OMS_AMQP_NODE" -q await_startup --timeout 120 >/dev/null \
        || oms_die "rabbitmq: await_startup failed"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -u guest:guest "http://127.0.0.1:$OMS_AMQP_MGMT_PORT/api/overview")
    [[ $code == 200 ]] || oms_die "rabbitmq: management API answered $code to guest"
}

_rmq_stop() {
    local dir pid
    dir=$(_srv_dir rabbitmq)
    if _rmq_running; then
        pid=$(cat "$(_rmq_pidfile)")
        # With the pid file, `stop` returns once the OS process has exited.
        if ! _rmq rabbitmqctl -n "$OMS_AMQP_NODE" -q stop "$(_rmq_pidfile)" >/dev/null 2>&1; then
            oms_log "rabbitmq: rabbitmqctl stop failed; sending SIGTERM to $pid"
            kill "$pid" 2>/dev/null || true
            oms_wait_for 30 oms_pid_gone "$pid" || kill -9 "$pid" 2>/dev/null || true
        fi
        oms_log "rabbitmq: stopped"
    else
        oms_log "rabbitmq: not running"
    fi
    # Stop epmd only when we started it and no other node still uses it.
    if [[ -f $dir/epmd.ours ]]; then
        if ! epmd -names 2>/dev/null | grep -q '^name '; then
            epmd -kill >/dev/null 2>&1 || true
            oms_log "rabbitmq: stopped epmd"
        fi
        rm -f "$dir/epmd.ours"
    fi
}

# ---------------------------------------------------------------- SMTP catcher

_smtp_pidfile() { echo "$OMS_LOCAL_DIR/run/smtp.pid"; }
_smtp_running() {
    local f; f=$(_smtp_pidfile)
    [[ -f $f ]] && oms_pid_alive "$(cat "$f")" aiosmtpd
}

_smtp_start() {
    if _smtp_running; then
        oms_log "smtp: already running"
        return 0
    fi
    _srv_check_port_free smtp "$OMS_SMTP_PORT" OMS_SMTP_PORT
    "$OMS_PYTHON" -c 'import aiosmtpd' 2>/dev/null \
        || oms_die "smtp: $OMS_PYTHON has no aiosmtpd; run: bash deploy/servers.sh install"
    # Mailbox creates new/, cur/ and tmp/ only when the folder itself is missing.
    mkdir -p "$OMS_LOCAL_DIR/run" "$OMS_LOCAL_DIR/logs" "$OMS_LOCAL_DIR"/mail/{new,cur,tmp}
    local log="$OMS_LOCAL_DIR/logs/smtp.log"
    # -n: stay root instead of switching to `nobody`. Mailbox writes a Maildir (new/, cur/, tmp/).
    # Its own session (setsid); the shell records its pid, then becomes the server (exec).
    # shellcheck disable=SC2016
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$(_smtp_pidfile)" \
        "$OMS_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$OMS_SMTP_PORT" \
        -c aiosmtpd.handlers.Mailbox "$OMS_LOCAL_DIR/mail" </dev/null >"$log" 2>&1 &
    oms_wait_for 15 oms_port_open "$OMS_SMTP_PORT" \
        || { cat "$log" >&2; oms_die "smtp: did not start"; }
    oms_log "smtp: listening on 127.0.0.1:$OMS_SMTP_PORT, mail in $OMS_LOCAL_DIR/mail/new"
}

_smtp_stop() {
    if _smtp_running; then
        local pid; pid=$(cat "$(_smtp_pidfile)")
        kill "$pid"
        oms_wait_for 10 oms_pid_gone "$pid" || kill -9 "$pid" 2>/dev/null || true
        oms_log "smtp: stopped"
    else
        oms_log "smtp: not running"
    fi
    rm -f "$(_smtp_pidfile)"
}

# ---------------------------------------------------------------- commands

_srv_names() { # validates NAME... (default: all) in start order
    if (($# == 0)); then set -- postgres rabbitmq smtp; fi
    local n
    for n in "$@"; do
        case $n in postgres | rabbitmq | smtp) echo "$n" ;; *) oms_die "unknown server '$n' (postgres, rabbitmq, smtp)" ;; esac
    done
}

_srv_status() {
    local n rc=0 state
    for n in $(_srv_names "$@"); do
        case $n in
            postgres) _pg_running && state="running 127.0.0.1:$OMS_PG_PORT" || state=stopped ;;
            rabbitmq) _rmq_running && state="running 127.0.0.1:$OMS_AMQP_PORT ($OMS_AMQP_NODE, management $OMS_AMQP_MGMT_PORT)" || state=stopped ;;
            smtp) _smtp_running && state="running 127.0.0.1:$OMS_SMTP_PORT" || state=stopped ;;
        esac
        [[ $state != stopped ]] || rc=3
        printf '%-9s %s\n' "$n" "$state"
    done
    return $rc
}

_srv_main() {
    local cmd=${1:-}
    shift || true
    local n
    [[ $cmd != start && $cmd != stop && $cmd != status ]] || _srv_names "$@" >/dev/null
    case $cmd in
        install) _srv_install ;;
        start)
            for n in $(_srv_names "$@"); do
                case $n in postgres) _pg_start ;; rabbitmq) _rmq_start ;; smtp) _smtp_start ;; esac
            done ;;
        stop)
            for n in $(_srv_names "$@" | tac); do
                case $n in postgres) _pg_stop ;; rabbitmq) _rmq_stop ;; smtp) _smtp_stop ;; esac
            done ;;
        status) _srv_status "$@" ;;
        env) oms_servers_env ;;
        *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; return 2 ;;
    esac
}

# Runs a command from a sourced shell without leaking `set -e` or exiting it on error.
oms_servers() ( set -euo pipefail; _srv_main "$@" )

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    _srv_main "$@"
else
    eval "$(oms_servers_env)"
fi
