// Deliberately wrong: domain code reaching for gRPC. Must not build.
#include <grpcpp/server_context.h>

int BadManagerGrpc(grpc::ServerContext* context) { return context == nullptr ? 0 : 1; }
