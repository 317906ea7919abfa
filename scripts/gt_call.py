"""gt-call: call any Golden Thread gRPC method from the command line.

Debian has no grpcurl, so this is the project's own: a JSON request in, the
response out as JSON (field names as written in the .proto files). Run it as
scripts/gt-call, which uses Debian's /usr/bin/python3 (it has python3-grpcio
and python3-protobuf; a pyenv or venv python3 does not).

Python stubs are generated from protos/ with Debian's protoc and
grpc_python_plugin into build/python, on demand: when missing or older than
any .proto file.

Exit status: 0 success; 1 the server answered with an error (printed to
stderr as "ERROR <CODE>: <message>", then a "  field <path>: <rule>" line
for each google.rpc.BadRequest field violation the answer carries); 2 the
call was not made (usage error, unknown method, bad request JSON, stubs
could not be generated).
"""

import argparse
import fcntl
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
PROTO_DIR = os.path.join(ROOT, "protos")
OUT_DIR = os.path.join(ROOT, "build", "python")
GRPC_PROTO_DIR = "/usr/share/grpc-proto"
HEALTH_PROTO = "grpc/health/v1/health.proto"
# Generated apart from OUT_DIR's import root: a "grpc" directory on sys.path
# would collide with the grpc package itself. Loaded by file path instead.
HEALTH_OUT = os.path.join(OUT_DIR, "_health")
STAMP = os.path.join(OUT_DIR, ".gt-call-stamp")
STAMP_VERSION = "1"

DEFAULT_ADDR = os.environ.get("GT_ADDR", "127.0.0.1:50050")
DEFAULT_UNARY_TIMEOUT = 30.0

EXIT_RPC_ERROR = 1
EXIT_NOT_CALLED = 2


class NotCalled(Exception):
    """The call could not be made; the message says why."""


def find_protos():
    protos = []
    for dirpath, _, files in os.walk(PROTO_DIR):
        for f in files:
            if f.endswith(".proto"):
                protos.append(os.path.relpath(os.path.join(dirpath, f), PROTO_DIR))
    return sorted(protos)


def stubs_are_fresh(protos):
    try:
        with open(STAMP) as f:
            if f.read() != stamp_text(protos):
                return False
        stamp_time = os.stat(STAMP).st_mtime
    except OSError:
        return False
    return all(os.stat(os.path.join(PROTO_DIR, p)).st_mtime <= stamp_time for p in protos)


def stamp_text(protos):
    return STAMP_VERSION + "\n" + "\n".join(protos) + "\n"


def run_protoc(args):
    protoc = shutil.which("protoc") or "/usr/bin/protoc"
    cmd = [protoc] + args
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise NotCalled(
            "protoc failed (install protobuf-compiler, protobuf-compiler-grpc and "
            "grpc-proto with scripts/install-deps.sh):\n  %s\n%s"
            % (" ".join(cmd), proc.stderr.strip()))


def generate_stubs(protos):
    for d in ("goldenthread", "google", "_health"):
        shutil.rmtree(os.path.join(OUT_DIR, d), ignore_errors=True)
    os.makedirs(HEALTH_OUT, exist_ok=True)
    plugin = shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
    includes = ["-I", PROTO_DIR, "-I", GRPC_PROTO_DIR, "-I", "/usr/include"]
    if protos:
        run_protoc(includes + [
            "--python_out=" + OUT_DIR,
            "--grpc_python_out=" + OUT_DIR,
            "--plugin=protoc-gen-grpc_python=" + plugin,
        ] + protos)
    run_protoc(["-I", GRPC_PROTO_DIR, "--python_out=" + HEALTH_OUT, HEALTH_PROTO])
    with open(STAMP, "w") as f:
        f.write(stamp_text(protos))


def load_stubs():
    """Generates the stubs if needed and imports them; returns the file descriptors."""
    protos = find_protos()
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, ".gt-call-lock"), "w") as lock:
        # Exclusive while checking and (re)generating, so that two gt-calls
        # never generate at once; shared while importing, so that nobody
        # regenerates under our feet.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stubs_are_fresh(protos):
            generate_stubs(protos)
        fcntl.flock(lock, fcntl.LOCK_SH)

        files = []
        sys.path.insert(0, OUT_DIR)
        for p in protos:
            module = importlib.import_module(p[: -len(".proto")].replace("/", ".") + "_pb2")
            files.append(module.DESCRIPTOR)
        health_path = os.path.join(HEALTH_OUT, HEALTH_PROTO[: -len(".proto")] + "_pb2.py")
        spec = importlib.util.spec_from_file_location("gt_call_health_pb2", health_path)
        health = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(health)
        files.append(health.DESCRIPTOR)
        return files


def all_services(files):
    services = []
    for fd in files:
        services.extend(fd.services_by_name.values())
    return services


def resolve_method(files, spec):
    """'PlanService/ListPlans' or 'goldenthread.v1.PlanService/ListPlans'."""
    target = spec.lstrip("/")
    if "/" not in target:
        raise NotCalled("method must be Service/Method, e.g. PlanService/ListPlans; got %r" % spec)
    service_name, method_name = target.rsplit("/", 1)
    services = all_services(files)
    if "." in service_name:
        matches = [s for s in services if s.full_name == service_name]
    else:
        matches = [s for s in services if s.name == service_name]
    if not matches:
        raise NotCalled("unknown service %r; known: %s" % (
            service_name, ", ".join(sorted(s.full_name for s in services))))
    if len(matches) > 1:
        raise NotCalled("service %r is ambiguous; give one of: %s" % (
            service_name, ", ".join(sorted(s.full_name for s in matches))))
    service = matches[0]
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise NotCalled("%s has no method %r; it has: %s" % (
            service.full_name, method_name, ", ".join(m.name for m in service.methods)))
    if method.client_streaming:
        raise NotCalled("%s/%s is client-streaming; gt-call supports unary and "
                        "server-streaming methods only" % (service.full_name, method.name))
    return service, method


def message_class(descriptor):
    from google.protobuf import message_factory, symbol_database
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return symbol_database.Default().GetPrototype(descriptor)


def to_json(message, all_fields):
    from google.protobuf import json_format
    kwargs = dict(preserving_proto_field_name=True, indent=2, ensure_ascii=False)
    if all_fields:
        try:  # protobuf >= 5.26
            return json_format.MessageToJson(
                message, always_print_fields_with_no_presence=True, **kwargs)
        except TypeError:
            return json_format.MessageToJson(
                message, including_default_value_fields=True, **kwargs)
    return json_format.MessageToJson(message, **kwargs)


def read_request_text(arg):
    if arg == "-":
        return sys.stdin.read()
    if arg.startswith("@"):
        try:
            with open(arg[1:], encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise NotCalled("cannot read request file: %s" % e)
    return arg


def list_methods(files, only):
    for service in sorted(all_services(files), key=lambda s: s.full_name):
        if only and only not in (service.name, service.full_name):
            continue
        print(service.full_name)
        for m in service.methods:
            stream = "stream " if m.server_streaming else ""
            if m.client_streaming:
                stream = "(client streaming, unsupported) "
            print("  %s(%s) returns (%s%s)" % (
                m.name, m.input_type.full_name, stream, m.output_type.full_name))


def print_metadata(label, metadata):
    for key, value in metadata or ():
        print("%s %s: %s" % (label, key, value), file=sys.stderr)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="gt-call",
        description="Call a Golden Thread gRPC method with a JSON request; print the "
                    "response as JSON.",
        epilog="examples:\n"
               "  gt-call --addr 127.0.0.1:50051 PlanService/ListOrganisations '{}'\n"
               "  gt-call --addr 127.0.0.1:50051 PlanService/ListPlans "
               "'{\"parent\": \"organisations/th\"}'\n"
               "  gt-call --addr 127.0.0.1:50051 grpc.health.v1.Health/Check '{}'\n"
               "  gt-call --token \"$GT_TOKEN\" MilestoneService/WatchMilestoneUpdates @req.json\n"
               "  gt-call --list\n\n"
               "exit status: 0 ok; 1 the server returned an error "
               "(ERROR <CODE>: <message> on stderr);\n"
               "2 the call was not made (usage, unknown method, bad JSON).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--addr", default=DEFAULT_ADDR,
                   help="HOST:PORT of the server (default: $GT_ADDR or %(default)s, "
                        "the gateway)")
    p.add_argument("--token", default=os.environ.get("GT_TOKEN", ""),
                   help="API token, sent as 'authorization: Bearer TOKEN' "
                        "(default: $GT_TOKEN)")
    p.add_argument("--request-id", default="", help="sent as x-request-id metadata")
    p.add_argument("--identity-key-file", default=os.environ.get("GT_IDENTITY_KEY_FILE", ""),
                   help="seal the call as an operator's with this identity key, for calling a "
                        "backend directly (default: $GT_IDENTITY_KEY_FILE)")
    p.add_argument("-H", "--header", action="append", default=[], metavar="KEY:VALUE",
                   help="extra metadata; repeatable")
    p.add_argument("--timeout", type=float, default=None,
                   help="deadline in seconds (default: %g for unary calls, none for "
                        "streams)" % DEFAULT_UNARY_TIMEOUT)
    p.add_argument("--tls", action="store_true",
                   help="use TLS with the system's root certificates")
    p.add_argument("--all-fields", action="store_true",
                   help="also print fields that have their default value")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print response metadata (headers, trailers) to stderr")
    p.add_argument("--list", nargs="?", const="", metavar="SERVICE",
                   help="list services and methods, and exit")
    p.add_argument("method", nargs="?",
                   help="Service/Method, e.g. PlanService/ListPlans or "
                        "goldenthread.v1.PlanService/ListPlans")
    p.add_argument("request", nargs="?", default="{}",
                   help="the request as JSON; '-' reads stdin, @FILE reads FILE "
                        "(default: {})")
    args = p.parse_args(argv)
    if args.list is None and not args.method:
        p.error("a method is required (or --list)")
    if args.timeout is not None and args.timeout <= 0:
        p.error("--timeout must be positive")
    metadata = []
    if args.token:
        metadata.append(("authorization", "Bearer " + args.token))
    if args.request_id:
        metadata.append(("x-request-id", args.request_id))
    for h in args.header:
        key, sep, value = h.partition(":")
        if not sep or not key.strip():
            p.error("--header wants KEY:VALUE, got %r" % h)
        metadata.append((key.strip().lower(), value.strip()))
    # Straight to a backend, a call needs the operator's seal (the gateway
    # strips it and seals its own).
    metadata.extend(operator_seal(args.identity_key_file))
    args.metadata = metadata
    return args


def operator_seal(key_file=None, lifetime=3600):
    """Metadata sealing the empty (operator) identity with the identity key
    (GT_IDENTITY_KEY_FILE, or key_file): what a backend called directly needs.
    The same HMAC-SHA256 as gt::SealIdentity. [] when no key is given."""
    import hashlib
    import hmac
    import time
    path = key_file or os.environ.get("GT_IDENTITY_KEY_FILE", "")
    if not path:
        # run.sh's key, for a newcomer calling the backends of scripts/run.sh
        local = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             ".local", "secrets", "identity-key")
        path = local if os.path.isfile(local) else ""
    if not path:
        return []
    with open(path, "rb") as f:
        key = f.read().strip()
    expires = int(time.time()) + lifetime
    # gt::SealIdentity's text for the empty identity: organisation, role,
    # subject and directorates all empty (common/src/identity.cc).
    text = ("gt-identity-v2\n\n\n\n\n%d" % expires).encode()
    digest = hmac.new(key, text, hashlib.sha256).hexdigest()
    return [("x-gt-identity-seal", "%d.%s" % (expires, digest))]


def field_violations(trailers):
    """(field, description) of the google.rpc.BadRequest in the
    grpc-status-details-bin trailer (INVALID_ARGUMENT answers); [] when none."""
    from google.protobuf.message import DecodeError
    from google.rpc import error_details_pb2, status_pb2

    out = []
    for key, value in trailers or ():
        if key != "grpc-status-details-bin":
            continue
        try:
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                bad_request = error_details_pb2.BadRequest()
                if detail.Unpack(bad_request):
                    out += [(v.field, v.description) for v in bad_request.field_violations]
        except DecodeError:
            pass
    return out


def call(args, files):
    import grpc
    from google.protobuf import json_format

    service, method = resolve_method(files, args.method)
    request_cls = message_class(method.input_type)
    response_cls = message_class(method.output_type)
    text = read_request_text(args.request)
    try:
        request = json_format.Parse(text or "{}", request_cls())
    except json_format.ParseError as e:
        raise NotCalled("bad request JSON for %s: %s" % (method.input_type.full_name, e))

    if args.tls:
        channel = grpc.secure_channel(args.addr, grpc.ssl_channel_credentials())
    else:
        channel = grpc.insecure_channel(args.addr)
    path = "/%s/%s" % (service.full_name, method.name)
    kwargs = dict(request_serializer=request_cls.SerializeToString,
                  response_deserializer=response_cls.FromString)
    with channel:
        try:
            if method.server_streaming:
                responses = channel.unary_stream(path, **kwargs)(
                    request, metadata=args.metadata, timeout=args.timeout)
                if args.verbose:
                    print_metadata("header", responses.initial_metadata())
                for response in responses:
                    print(to_json(response, args.all_fields), flush=True)
                if args.verbose:
                    print_metadata("trailer", responses.trailing_metadata())
            else:
                timeout = args.timeout if args.timeout is not None else DEFAULT_UNARY_TIMEOUT
                response, rpc = channel.unary_unary(path, **kwargs).with_call(
                    request, metadata=args.metadata, timeout=timeout)
                if args.verbose:
                    print_metadata("header", rpc.initial_metadata())
                    print_metadata("trailer", rpc.trailing_metadata())
                print(to_json(response, args.all_fields))
        except grpc.RpcError as e:
            if args.verbose:
                print_metadata("trailer", e.trailing_metadata())
            print("ERROR %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            for field, description in field_violations(e.trailing_metadata()):
                print("  field %s: %s" % (field, description), file=sys.stderr)
            return EXIT_RPC_ERROR
    return 0


def main(argv):
    args = parse_args(argv)
    try:
        files = load_stubs()
        if args.list is not None:
            list_methods(files, args.list)
            return 0
        return call(args, files)
    except NotCalled as e:
        print("gt-call: %s" % e, file=sys.stderr)
        return EXIT_NOT_CALLED


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # e.g. piped into head: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
