"""The gateway's flow from a Python client: proof that a non-C++ app can use
the API with nothing but Debian's python3-grpcio and stubs generated from
protos/.

Run by gateway_e2e_test (ctest gateway_python_client_test), which starts
plan-service and the gateway and passes, in the environment:
  GT_ADDR            the gateway, host:port
  GT_PROTO_DIR       the repository's protos/ directory
  GT_ORG             organisation of the tokens below
  GT_PLANNER_TOKEN, GT_VIEWER_TOKEN   tokens of GT_ORG
  GT_OTHER_TOKEN     an ADMIN token of another organisation
Exit status 0 when every check passed; each failure is printed.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import grpc

ADDR = os.environ["GT_ADDR"]
ORG = os.environ["GT_ORG"]
PLAN_ID = "py-plan"
PLAN = "organisations/%s/plans/%s" % (ORG, PLAN_ID)

failures = []
checks = 0


def check(what, condition, detail=""):
    global checks
    checks += 1
    if not condition:
        failures.append("%s %s" % (what, detail))
        print("FAIL:", what, detail, flush=True)


REFLECTION_PROTO = "grpc/reflection/v1alpha/reflection.proto"


def generate_stubs(out):
    proto_dir = os.environ["GT_PROTO_DIR"]
    protos = []
    for dirpath, _, files in os.walk(proto_dir):
        protos += [os.path.relpath(os.path.join(dirpath, f), proto_dir)
                   for f in files if f.endswith(".proto")]
    plugin = shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
    subprocess.run(["protoc", "-I", proto_dir, "-I", "/usr/include",
                    "--python_out=" + out, "--grpc_python_out=" + out,
                    "--plugin=protoc-gen-grpc_python=" + plugin] + sorted(protos),
                   check=True)
    # Kept off sys.path: a "grpc" directory there would shadow the grpc package.
    reflection_out = os.path.join(out, "_reflection")
    os.makedirs(reflection_out)
    subprocess.run(["protoc", "-I", "/usr/share/grpc-proto", "--python_out=" + reflection_out,
                    REFLECTION_PROTO], check=True)
    sys.path.insert(0, out)
    path = os.path.join(reflection_out, REFLECTION_PROTO[:-len(".proto")] + "_pb2.py")
    spec = importlib.util.spec_from_file_location("gt_reflection_pb2", path)
    reflection = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reflection)
    return reflection


def check_reflection(channel, reflection):
    call = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        request_serializer=reflection.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection.ServerReflectionResponse.FromString)
    requests = [reflection.ServerReflectionRequest(list_services=""),
                reflection.ServerReflectionRequest(
                    file_containing_symbol="goldenthread.v1.MilestoneService")]
    responses = list(call(iter(requests), timeout=10))
    listed = {s.name for s in responses[0].list_services_response.service}
    wanted = {"goldenthread.v1.PlanService", "goldenthread.v1.MilestoneService",
              "goldenthread.v1.ReportService", "goldenthread.v1.TokenService"}
    check("reflection lists every service", wanted <= listed, sorted(listed))
    files = responses[1].file_descriptor_response.file_descriptor_proto
    check("reflection describes a forwarded service", len(files) > 0, len(files))


def metadata(token, *extra):
    md = [("authorization", "Bearer " + token)] if token else []
    return md + list(extra)


def code_of(call):
    try:
        call()
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as e:
        return e.code(), e.details()


def check_bad_request_details(stub, plan_pb2, planner):
    """INVALID_ARGUMENT carries google.rpc.Status with a BadRequest in the
    grpc-status-details-bin trailer, read as grpcio-status reads it (code and
    message must agree with the call's)."""
    from google.rpc import error_details_pb2, status_pb2

    untitled = plan_pb2.Plan(period_start="2019-04-01", period_end="2020-03-31")
    try:
        stub.CreatePlan(plan_pb2.CreatePlanRequest(parent="organisations/" + ORG,
                                                   plan_id="py-untitled", plan=untitled),
                        metadata=metadata(planner), timeout=10)
        check("an untitled plan is refused", False)
        return
    except grpc.RpcError as e:
        code, message, trailers = e.code(), e.details(), e.trailing_metadata() or ()
    check("an untitled plan is INVALID_ARGUMENT", code == grpc.StatusCode.INVALID_ARGUMENT, code)
    rich = None
    for key, value in trailers:
        if key == "grpc-status-details-bin":
            rich = status_pb2.Status.FromString(value)
    check("grpc-status-details-bin holds a google.rpc.Status", rich is not None)
    if rich is None:
        return
    check("its code and message are the call's",
          rich.code == code.value[0] and rich.message == message,
          "%s %r vs %s %r" % (rich.code, rich.message, code, message))
    violations = []
    for detail in rich.details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            violations += [(v.field, v.description) for v in bad_request.field_violations]
    check("BadRequest names plan.title",
          violations == [("plan.title", "must not be empty")], violations)


def main():
    out = tempfile.mkdtemp(prefix="gt-py-stubs-")
    try:
        reflection = generate_stubs(out)
        from goldenthread.v1 import plan_pb2, plan_pb2_grpc

        planner = os.environ["GT_PLANNER_TOKEN"]
        viewer = os.environ["GT_VIEWER_TOKEN"]
        other = os.environ["GT_OTHER_TOKEN"]
        with grpc.insecure_channel(ADDR) as channel:
            check_reflection(channel, reflection)
            stub = plan_pb2_grpc.PlanServiceStub(channel)
            plan = plan_pb2.Plan(title="Python's plan", period_start="2019-04-01",
                                 period_end="2020-03-31")
            create = plan_pb2.CreatePlanRequest(parent="organisations/" + ORG,
                                                plan_id=PLAN_ID, plan=plan)

            created, call = stub.CreatePlan.with_call(
                create, metadata=metadata(planner, ("x-request-id", "py-create-1")), timeout=10)
            check("PLANNER creates a plan", created.name == PLAN, created.name)
            echoed = dict(call.initial_metadata()).get("x-request-id")
            check("the request id comes back", echoed == "py-create-1", echoed)

            got = stub.GetPlan(plan_pb2.GetPlanRequest(name=PLAN),
                               metadata=metadata(viewer), timeout=10)
            check("VIEWER reads it", got.title == "Python's plan", got.title)

            code, _ = code_of(lambda: stub.CreatePlan(
                plan_pb2.CreatePlanRequest(parent="organisations/" + ORG, plan_id="py-2",
                                           plan=plan),
                metadata=metadata(viewer), timeout=10))
            check("VIEWER may not create", code == grpc.StatusCode.PERMISSION_DENIED, code)

            code, _ = code_of(lambda: stub.CreatePlan(
                plan_pb2.CreatePlanRequest(parent="organisations/" + ORG, plan_id="py-3",
                                           plan=plan),
                metadata=metadata(viewer, ("x-gt-role", "ADMIN"), ("x-gt-organisation", ORG)),
                timeout=10))
            check("identity metadata from the client gains nothing",
                  code == grpc.StatusCode.PERMISSION_DENIED, code)

            code, details = code_of(lambda: stub.GetPlan(
                plan_pb2.GetPlanRequest(name=PLAN), metadata=metadata(other), timeout=10))
            check("another organisation's token sees NOT_FOUND",
                  code == grpc.StatusCode.NOT_FOUND and details == "plan %s not found" % PLAN,
                  "%s %s" % (code, details))

            code, _ = code_of(lambda: stub.GetPlan(
                plan_pb2.GetPlanRequest(name=PLAN), metadata=metadata(None), timeout=10))
            check("no token is UNAUTHENTICATED", code == grpc.StatusCode.UNAUTHENTICATED, code)

            check_bad_request_details(stub, plan_pb2, planner)

            deleted = stub.DeletePlan(plan_pb2.DeletePlanRequest(name=PLAN),
                                      metadata=metadata(planner), timeout=10)
            check("PLANNER deletes it", deleted is not None)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print("python client: %d checks, %d failed" % (checks, len(failures)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
