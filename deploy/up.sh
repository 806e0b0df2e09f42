#!/usr/bin/env bash
# Brings the whole system up on this machine, with no container engine: installs what is
# missing (apt-get), starts PostgreSQL, RabbitMQ and an SMTP catcher (deploy/servers.sh),
# builds in release mode, migrates, starts a trigger receiver, seeds the demo data, starts the
# four services and prints how to place an order with curl. Re-running restarts the services.
#   bash deploy/up.sh           stop with: bash deploy/down.sh
# OMS_BIN_DIR=<dir> uses executables already built there instead of building.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OMS_REPO_DIR"

# ---- The order API as the demo uses it: correct it here when the gateway's routes change. ----
# {project_id} and {item_id} become shell variables of the printed commands; {oms_id},
# {resource_id} and {offer_id} are filled from the seeded demo.
API_TOKEN_HEADER='X-User-Token'
API_CREATE_PROJECT='POST /api/v1/projects'
API_CREATE_PROJECT_BODY='{"name":"My project","customer_typology":"single_user","organization":"Example University"}'
API_CREATE_ITEM='POST /api/v1/projects/{project_id}/project_items'
API_CREATE_ITEM_BODY='{"resource_id":"{resource_id}","offer_id":{offer_id},"parameters":{"cpu":4,"flavour":"medium"}}'
API_READ_ITEM='GET /api/v1/projects/{project_id}/project_items/{item_id}'
API_OMS_EVENTS='GET /api/v1/oms/{oms_id}/events?from_timestamp=2020-01-01T00:00:00Z'
API_OMS_READ_ITEM='GET /api/v1/oms/{oms_id}/projects/{project_id}/project_items/{item_id}'
TRIGGER_PATH='/trigger'
DEMO_PROVIDER_EMAIL='provider@example.org'
DEMO_USER_EMAIL='researcher@example.org'
# ----------------------------------------------------------------------------------------------

GATEWAY_PORT="${OMS_GATEWAY_PORT:-8080}"
SINK_PORT="${OMS_TRIGGER_SINK_PORT:-8099}"
READY_TIMEOUT="${OMS_READY_TIMEOUT:-90}"
servers=(bash "$OMS_REPO_DIR/deploy/servers.sh")
trap 'oms_log "failed; logs are in $OMS_LOCAL_DIR/logs"' ERR

oms_phase install
"${servers[@]}" install

oms_phase servers
"${servers[@]}" start
eval "$("${servers[@]}" env)"

oms_phase build
if [[ -n ${OMS_BIN_DIR:-} ]]; then
    oms_log "using executables in $OMS_BIN_DIR"
else
    command -v swift >/dev/null || oms_die "swift not found (expected on PATH or in /opt/swift)"
    swift build -c release
    OMS_BIN_DIR="$(swift build -c release --show-bin-path)"
fi
for exe in omsctl oms-gateway oms-processor oms-notifier oms-metrics; do
    [[ -x $OMS_BIN_DIR/$exe ]] || oms_die "missing executable $OMS_BIN_DIR/$exe"
done

oms_phase stop-old
# The gateway first, so no new work reaches services that are stopping.
for entry in $(oms_services | tac) trigger-sink:; do oms_process_stop "${entry%%:*}"; done

for entry in $(oms_services) "trigger-sink:$SINK_PORT"; do
    ! oms_port_open "${entry##*:}" || oms_die "${entry%%:*}: port ${entry##*:} is taken by another process \
(ports: OMS_GATEWAY_PORT, OMS_PROCESSOR_PORT, OMS_NOTIFIER_PORT, OMS_METRICS_PORT, OMS_TRIGGER_SINK_PORT)"
done

# Configuration of every service (see the README's table); values already set are kept.
export OMS_LOG_LEVEL="${OMS_LOG_LEVEL:-info}"
export OMS_HTTP_HOST="${OMS_HTTP_HOST:-127.0.0.1}"
export OMS_PUBLIC_URL="${OMS_PUBLIC_URL:-http://127.0.0.1:$GATEWAY_PORT}"
if [[ -z ${OMS_SIGNING_KEY:-} ]]; then
    keyfile="$OMS_LOCAL_DIR/signing-key"
    [[ -s $keyfile ]] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keyfile")
    OMS_SIGNING_KEY="$(cat "$keyfile")"
fi
export OMS_SIGNING_KEY

oms_phase migrate
"$OMS_BIN_DIR/omsctl" migrate

oms_phase seed
oms_process_start trigger-sink "$OMS_BIN_DIR/omsctl" trigger-sink --port "$SINK_PORT"
sink_up() { oms_port_open "$SINK_PORT" || ! oms_process_running trigger-sink; }
oms_wait_for 30 sink_up || true
if ! oms_port_open "$SINK_PORT"; then
    tail -n 20 "$OMS_LOCAL_DIR/logs/trigger-sink.log" >&2
    oms_die "trigger-sink: not listening on $SINK_PORT"
fi
"$OMS_BIN_DIR/omsctl" seed-demo --trigger-url "http://127.0.0.1:$SINK_PORT$TRIGGER_PATH" \
    --provider-email "$DEMO_PROVIDER_EMAIL" --user-email "$DEMO_USER_EMAIL" >"$OMS_LOCAL_DIR/seed-demo.out" \
    || { tail -n 20 "$OMS_LOCAL_DIR/seed-demo.out" >&2; oms_die "omsctl seed-demo failed"; }
# seed-demo prints one JSON object (maybe among JSON log lines). Keep that object in demo.json
# and read the fields the commands below need, wherever they are nested.
demo_vars=$("$OMS_PYTHON" - "$OMS_LOCAL_DIR/seed-demo.out" "$OMS_LOCAL_DIR/demo.json" <<'PY'
import json, shlex, sys
text = open(sys.argv[1]).read()
def candidates():
    try:
        yield json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        if line.strip().startswith("{"):
            try:
                yield json.loads(line)
            except ValueError:
                pass
def find(value, keys):
    if isinstance(value, dict):
        for k in keys:
            if k in value and not isinstance(value[k], (dict, list)):
                return value[k]
        value = list(value.values())
    if isinstance(value, list):
        for v in value:
            found = find(v, keys)
            if found is not None:
                return found
    return None
wanted = {"USER_TOKEN": ["user_token"], "OMS_TOKEN": ["oms_token"], "OMS_ID": ["oms_id"],
          "RESOURCE_ID": ["resource_id", "service_id"], "OFFER_ID": ["offer_id"]}
for obj in candidates():
    if isinstance(obj, dict) and find(obj, ["user_token"]) is not None:
        break
else:
    sys.exit("seed-demo printed no JSON object with a user_token:\n" + text[-2000:])
with open(sys.argv[2], "w") as f:
    json.dump(obj, f, indent=2)
    f.write("\n")
missing = []
for var, keys in wanted.items():
    v = find(obj, keys)
    if v is None:
        missing.append(keys[0])
    print(f"DEMO_{var}={shlex.quote(str(v))}")
if missing:
    sys.exit("seed-demo output lacks: " + ", ".join(missing))
PY
)
eval "$demo_vars"

oms_phase services
for entry in $(oms_services); do
    name=${entry%%:*} port=${entry##*:}
    oms_process_start "$name" env OMS_HTTP_PORT="$port" "$OMS_BIN_DIR/$name"
done
ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/readyz") == 200 ]]; }
for entry in $(oms_services); do
    name=${entry%%:*} port=${entry##*:}
    deadline=$((SECONDS + READY_TIMEOUT))
    until ready "$port"; do
        if ! oms_process_running "$name" || ((SECONDS > deadline)); then
            tail -n 30 "$OMS_LOCAL_DIR/logs/$name.log" >&2
            oms_die "$name: not ready on 127.0.0.1:$port/readyz"
        fi
        sleep 0.3
    done
    oms_log "$name: ready on 127.0.0.1:$port"
done
oms_phase ""

# ---- The demo order as a script of curl commands, printed and kept in .local/demo-order.sh ----
fill() { # TEMPLATE -> the template with the demo's ids, and shell variables for the rest
    local s=$1
    s=${s//\{oms_id\}/$DEMO_OMS_ID}
    s=${s//\{resource_id\}/$DEMO_RESOURCE_ID}
    s=${s//\{offer_id\}/$DEMO_OFFER_ID}
    s=${s//\{project_id\}/\$PROJECT_ID}
    s=${s//\{item_id\}/\$ITEM_ID}
    printf '%s' "$s"
}
request() { # "METHOD PATH" TOKEN_VAR [BODY]: one curl command
    local method=${1%% *} path=${1#* } line
    line="curl -sS --fail-with-body"
    [[ $method == GET ]] || line+=" -X $method"
    line+=" \"\$GW$(fill "$path")\" -H \"$API_TOKEN_HEADER: \$$2\""
    [[ -z ${3:-} ]] || line+=" -H 'Content-Type: application/json' -d '$(fill "$3")'"
    printf '%s' "$line"
}
rel() { printf '%s' "${1#"$OMS_REPO_DIR"/}"; }
demo="$OMS_LOCAL_DIR/demo-order.sh"
cat >"$demo" <<EOF
# Place one order through the gateway (written by deploy/up.sh from $(rel "$OMS_LOCAL_DIR")/demo.json).
GW=http://127.0.0.1:$GATEWAY_PORT
USER_TOKEN=$(printf '%q' "$DEMO_USER_TOKEN")
OMS_TOKEN=$(printf '%q' "$DEMO_OMS_TOKEN")
id() { $OMS_PYTHON -c '
import json, sys
text = sys.stdin.read()
try: print(json.loads(text)["id"])
except Exception: sys.exit("unexpected answer: " + text)'; }

# 1. The user creates a project.
PROJECT_ID=\$($(request "$API_CREATE_PROJECT" USER_TOKEN "$API_CREATE_PROJECT_BODY") | id); echo "project \$PROJECT_ID"

# 2. The user orders the offer with values for its parameters (201 with the item).
ITEM_ID=\$($(request "$API_CREATE_ITEM" USER_TOKEN "$API_CREATE_ITEM_BODY") | id); echo "item \$ITEM_ID"

# 3. The user reads the item.
$(request "$API_READ_ITEM" USER_TOKEN); echo

# 4. The OMS was triggered: the receiver logged it. Then the OMS reads its events and the item.
tail -n 3 $(rel "$OMS_LOCAL_DIR")/logs/trigger-sink.log
$(request "$API_OMS_EVENTS" OMS_TOKEN); echo
$(request "$API_OMS_READ_ITEM" OMS_TOKEN); echo

# 5. The provider ($DEMO_PROVIDER_EMAIL) got a mail.
ls -t $(rel "$OMS_LOCAL_DIR")/mail/new | head -n 3
EOF

cat <<EOF

The system is up.
  gateway      http://127.0.0.1:$GATEWAY_PORT   (processor, notifier, metrics: $(oms_services | head -n 3 | sed 's/.*://' | paste -sd' '))
  metrics      http://127.0.0.1:${OMS_METRICS_PORT:-9103}/metrics
  RabbitMQ     ${OMS_AMQP_MANAGEMENT_URL/guest:guest@/}  (guest/guest)
  logs         $(rel "$OMS_LOCAL_DIR")/logs/    demo data: $(rel "$OMS_LOCAL_DIR")/demo.json
  stop         bash deploy/down.sh

Place an order with curl (run from $OMS_REPO_DIR, or: bash $(rel "$demo")):

$(cat "$demo")

EOF
printf -- '--- timing\n%s' "$OMS_PHASE_REPORT" >&2
