#!/usr/bin/env bash
# The whole test suite: provisions PostgreSQL, RabbitMQ and the SMTP catcher (deploy/servers.sh),
# builds, and runs `swift test`. Arguments go to `swift test`, e.g.
#   bash deploy/test.sh --filter DomainTests
# OMS_KEEP_SERVERS=1 leaves running the servers this script started; OMS_TEST_PARALLEL=0 drops
# `--parallel` (XCTest cases in parallel processes; Swift Testing runs in parallel either way).
# Exits with the status of `swift test`: a run with zero tests passes.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OMS_REPO_DIR"
servers=(bash "$OMS_REPO_DIR/deploy/servers.sh")
command -v swift >/dev/null || oms_die "swift not found (expected on PATH or in /opt/swift)"

started=()
finish() {
    local rc=$?
    oms_phase ""
    if ((${#started[@]} > 0)); then
        if [[ ${OMS_KEEP_SERVERS:-0} == 1 ]]; then
            oms_log "keeping servers running: ${started[*]} (stop: bash deploy/servers.sh stop)"
        else
            "${servers[@]}" stop "${started[@]}" || true
        fi
    fi
    printf '\n--- timing\n%s--- exit %d\n' "$OMS_PHASE_REPORT" "$rc" >&2
    exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

oms_phase install
"${servers[@]}" install

oms_phase servers
for name in postgres rabbitmq smtp; do
    "${servers[@]}" status "$name" >/dev/null || started+=("$name")
done
"${servers[@]}" start
eval "$("${servers[@]}" env)"

oms_phase client
# The client generated from the EOSC ordering_swagger.json (GeneratedClientTests).
eval "$(bash "$OMS_REPO_DIR/deploy/generated-client.sh")"

oms_phase build
swift build --build-tests
OMS_BIN_DIR="$(swift build --show-bin-path)"

oms_phase test
# Tests create their own schemas and vhosts, so they get the server's `postgres` database.
export OMS_TEST_DATABASE_URL="${OMS_DATABASE_URL%/*}/postgres"
export OMS_TEST_AMQP_URL="$OMS_AMQP_URL"
export OMS_TEST_AMQP_MANAGEMENT_URL="$OMS_AMQP_MANAGEMENT_URL"
export OMS_TEST_SMTP_URL="$OMS_SMTP_URL"
export OMS_TEST_MAILDIR="$OMS_MAILDIR"
export OMS_BIN_DIR OMS_TEST_CLIENT_PYTHON OMS_TEST_CLIENT_DIR
parallel=(--parallel)
[[ ${OMS_TEST_PARALLEL:-1} != 0 ]] || parallel=()
oms_log "swift test --skip-build ${parallel[*]} $*"
swift test --skip-build "${parallel[@]}" "$@"
