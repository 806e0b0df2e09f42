#!/usr/bin/env bash
# Prepares the clients that OpenAPI Generator makes from the EOSC marketplace's own
# ordering_swagger.json and from TM Forum's TMF622 v4 swagger, which
# Tests/EndToEndTests/GeneratedClientTests drives against the system:
# Java (Debian's default-jre-headless) to run the generator, a Python venv under .local/ with
# openapi-generator-cli and the client's requirements from PyPI (pinned), and the generated
# package. Prints `export` lines for the tests (deploy/test.sh evals them):
#   OMS_TEST_CLIENT_PYTHON   the venv's python
#   OMS_TEST_CLIENT_DIR      the folder holding the generated package `eosc_ordering`
#   OMS_TEST_TMF_CLIENT_DIR  the folder holding the generated package `tmf622_client`
# Regenerates only when a spec changed.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

spec_dir="$OMS_REPO_DIR/Shared/EOSCSpecs/eosc"
[[ -f $spec_dir/ordering_swagger.json ]] || oms_die "no $spec_dir/ordering_swagger.json"
venv="$OMS_LOCAL_DIR/client-venv"
out="$OMS_LOCAL_DIR/generated-client"
requirements=(openapi-generator-cli==7.26.0 pydantic==2.14.4 pydantic_core==2.50.5 urllib3==2.8.0
    python-dateutil==4.0.0 tzdata==2026.6 typing_extensions==4.16.0 annotated-types==0.8.0 typing-inspection==0.4.5)

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
"$OMS_PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]} > 0)); then
    oms_log "generated client: installing ${missing[*]}"
    oms_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    oms_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp="$venv/.requirements"
if [[ ! -x $venv/bin/python || $(cat "$stamp" 2>/dev/null) != "${requirements[*]}" ]]; then
    oms_log "generated client: creating $venv"
    rm -rf "$venv"
    "$OMS_PYTHON" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${requirements[@]}"
    printf '%s' "${requirements[*]}" >"$stamp"
fi

sum=$(cat "$spec_dir"/ordering_swagger.json "$spec_dir"/*/*.json "$spec_dir"/*/*/*.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [[ $(cat "$out/.spec-sha256" 2>/dev/null) != "$sum" ]]; then
    oms_log "generated client: generating from ordering_swagger.json"
    rm -rf "$out"
    mkdir -p "$out"
    "$venv/bin/openapi-generator-cli" generate -i "$spec_dir/ordering_swagger.json" -g python \
        -o "$out" --package-name eosc_ordering >"$out.log" 2>&1 || { cat "$out.log" >&2; oms_die "generation failed"; }
    printf '%s' "$sum" >"$out/.spec-sha256"
fi
tmf_spec="$OMS_REPO_DIR/Shared/TMF622/Resources/tmf622-v4.swagger.json"
tmf_out="$OMS_LOCAL_DIR/generated-tmf-client"
tmf_sum=$(sha256sum <"$tmf_spec" | cut -d' ' -f1)
if [[ $(cat "$tmf_out/.spec-sha256" 2>/dev/null) != "$tmf_sum" ]]; then
    oms_log "generated client: generating from the TMF622 v4 swagger"
    rm -rf "$tmf_out"
    mkdir -p "$tmf_out"
    # The generator's Swagger 2 reader turns the spec's `Any` (`{}`: any value, e.g. a
    # characteristic's value) into an object, so a generated client could not read `"value": 4`.
    # Convert to OpenAPI 3 first, put `Any` back as "any value", then generate.
    "$venv/bin/openapi-generator-cli" generate -i "$tmf_spec" -g openapi -o "$tmf_out.oas3" \
        >"$tmf_out.log" 2>&1 || { cat "$tmf_out.log" >&2; oms_die "conversion failed"; }
    "$OMS_PYTHON" - "$tmf_out.oas3/openapi.json" <<'PY'
import json, sys
path = sys.argv[1]
document = json.load(open(path))
def restore(value):
    if isinstance(value, dict):
        if value.get("$ref") == "#/components/schemas/Any":
            value.clear()
            return
        for member in value.values():
            restore(member)
    elif isinstance(value, list):
        for member in value:
            restore(member)
restore(document)
document["components"]["schemas"].pop("Any", None)
json.dump(document, open(path, "w"))
PY
    "$venv/bin/openapi-generator-cli" generate -i "$tmf_out.oas3/openapi.json" -g python -o "$tmf_out" \
        --package-name tmf622_client >>"$tmf_out.log" 2>&1 || { cat "$tmf_out.log" >&2; oms_die "generation failed"; }
    rm -rf "$tmf_out.oas3"
    printf '%s' "$tmf_sum" >"$tmf_out/.spec-sha256"
fi
printf 'export %s=%q\n' OMS_TEST_CLIENT_PYTHON "$venv/bin/python" OMS_TEST_CLIENT_DIR "$out" \
    OMS_TEST_TMF_CLIENT_DIR "$tmf_out"
