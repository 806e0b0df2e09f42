"""The TMF622 "done when": a client generated from TM Forum's TMF622 v4 swagger (knowing nothing
of EOSC) orders, follows, changes, cancels and listens, while an OMS adapter generated from the
EOSC marketplace's ordering_swagger.json (knowing nothing of TMF622) handles the same order. The
generated models check every answer of both APIs.

Run by Tests/EndToEndTests/TMFGeneratedClientTests.swift with OMS_API_URL, TMF_TOKEN (the
customer), OMS_TOKEN and OMS_ID (the provider's OMS), LISTENER_URL and OFFERING_ID. Prints the
order id on a line `ORDER <id>`; exits 0 when every step behaved, else prints the failed step.
"""
import datetime
import os
import sys
import time

import eosc_ordering
import tmf622_client as tmf
from eosc_ordering.models.project_item_update import ProjectItemUpdate

env = os.environ
OMS = env["OMS_ID"]
steps = 0


def check(condition, what):
    global steps
    steps += 1
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def eventually(probe, what, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    check(False, what)


# The TMF622 client: its own base path and a bearer token.
tmf_client = tmf.ApiClient(tmf.Configuration(host=env["OMS_API_URL"] + "/tmf-api/productOrderingManagement/v4"))
tmf_client.set_default_header("Authorization", "Bearer " + env["TMF_TOKEN"])
orders = tmf.ProductOrderApi(tmf_client)
cancellations = tmf.CancelProductOrderApi(tmf_client)
hub = tmf.EventsSubscriptionApi(tmf_client)

# The EOSC OMS adapter.
eosc_client = eosc_ordering.ApiClient(eosc_ordering.Configuration(host=env["OMS_API_URL"]))
eosc_client.set_default_header("X-User-Token", env["OMS_TOKEN"])
events_api = eosc_ordering.EventsApi(eosc_client)
items_api = eosc_ordering.ProjectItemsApi(eosc_client)
messages_api = eosc_ordering.MessagesApi(eosc_client)
since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def oms_events(resource, kind):
    return [e for e in events_api.api_v1_oms_oms_id_events_get(OMS, since, limit=1000).events
            if e.resource == resource and e.type == kind]


# Listen.
listener = hub.register_listener(tmf.EventSubscriptionInput(callback=env["LISTENER_URL"]))
check(listener.id and listener.callback == env["LISTENER_URL"], f"listener registered: {listener}")

# Order.
created = orders.create_product_order(tmf.ProductOrderCreate(
    description="Two CPUs for the analysis", category="compute", priority="1", external_id="client-42",
    note=[tmf.Note(text="as discussed")],
    product_order_item=[tmf.ProductOrderItem(
        id="1", action="add", quantity=1, product_offering=tmf.ProductOfferingRef(id=env["OFFERING_ID"]),
        product=tmf.ProductRefOrValue(product_characteristic=[
            tmf.Characteristic(name="cpu", value=2), tmf.Characteristic(name="flavour", value="small")]))]))
print(f"ORDER {created.id}")
check(created.state == "acknowledged" and created.href.endswith("/productOrder/" + created.id)
      and created.order_date is not None, f"created: {created}")
check(created.product_order_item[0].state == "acknowledged", "the item is acknowledged")
values = {c.name: c.value for c in created.product_order_item[0].product.product_characteristic}
check(values == {"cpu": 2, "flavour": "small"}, f"characteristics: {values}")

# The OMS finds the new item through its events, reads it, and starts work.
event = eventually(lambda: oms_events("project_item", "create"), "the OMS sees the item's create event")[-1]
project, item_id = str(event.project_id), str(event.project_item_id)
item = items_api.api_v1_oms_oms_id_projects_pid_project_items_pi_id_get(OMS, project, item_id)
attributes = item.attributes if isinstance(item.attributes, dict) else item.attributes.to_dict()
ordered = {p["id"]: p.get("value") for p in attributes["offer_properties"]}
check(ordered.get("cpu") == 2 and ordered.get("flavour") == "small", f"the OMS reads the values: {ordered}")
items_api.api_v1_oms_oms_id_projects_pid_project_items_pi_id_patch(
    OMS, project, item_id, ProjectItemUpdate({"status": {"value": "Provisioning", "type": "in_progress"}}))

# Follow.
followed = orders.retrieve_product_order(created.id)
check(followed.state == "inProgress" and followed.product_order_item[0].state == "inProgress",
      f"the order follows the OMS: {followed.state}")
listed = orders.list_product_order(offset=0, limit=50)
check(any(o.id == created.id and o.state == "inProgress" for o in listed), "the order is listed with its state")

# Change a header attribute (the generated model must restate the items; they stay as they are).
changed = orders.patch_product_order(created.id, tmf.ProductOrderUpdate(
    description="Two CPUs, urgent", product_order_item=followed.product_order_item))
check(changed.description == "Two CPUs, urgent" and changed.category == "compute", f"patched: {changed.description}")

# Cancel: the provider's OMS is asked, and decides through the Ordering API.
cancellation = cancellations.create_cancel_product_order(tmf.CancelProductOrderCreate(
    product_order=tmf.ProductOrderRef(id=created.id), cancellation_reason="The analysis was dropped"))
check(cancellation.state == "inProgress", f"the cancellation waits for the provider: {cancellation.state}")
check(orders.retrieve_product_order(created.id).state == "assessingCancellation", "the order is assessed")
message = eventually(lambda: [m for m in messages_api.api_v1_oms_oms_id_messages_get(OMS, int(project),
                                                                                      project_item_id=int(item_id)).messages
                              if "cancel" in m.content and "The analysis was dropped" in m.content],
                     "the OMS reads the cancellation request on its item")[0]
check(message.author.role == "user", f"the request comes from the customer: {message.author}")
items_api.api_v1_oms_oms_id_projects_pid_project_items_pi_id_patch(
    OMS, project, item_id, ProjectItemUpdate({"status": {"value": "Cancelled", "type": "closed"}}))
done = cancellations.retrieve_cancel_product_order(cancellation.id)
check(done.state == "done" and done.effective_cancellation_date is not None, f"cancellation done: {done}")
final = orders.retrieve_product_order(created.id)
check(final.state == "cancelled" and final.cancellation_date is not None, f"order cancelled: {final.state}")
check(final.product_order_item[0].state == "cancelled", "the item is cancelled")

# A final order refuses changes.
try:
    orders.patch_product_order(created.id, tmf.ProductOrderUpdate(description="again",
                                                                 product_order_item=final.product_order_item))
    check(False, "a cancelled order accepted a change")
except tmf.ApiException as e:
    check(e.status == 409 and "final state" in (e.body or ""), f"409 for a final order: {e.status} {e.body}")

hub.unregister_listener(listener.id)
print(f"{steps} checks passed")
