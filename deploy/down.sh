#!/usr/bin/env bash
# Stops what deploy/up.sh started: the four services, the trigger receiver, then the servers.
#   bash deploy/down.sh             everything (data stays in .local/)
#   bash deploy/down.sh services    the services and the trigger receiver only
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The gateway first, so no new work reaches services that are stopping.
for entry in $(oms_services | tac) trigger-sink:; do oms_process_stop "${entry%%:*}"; done
if [[ ${1:-} != services ]]; then
    bash "$OMS_REPO_DIR/deploy/servers.sh" stop
fi
