// gt-health-check HOST:PORT [--service=NAME] [--timeout_ms=N]
// Exits 0 when grpc.health.v1 answers SERVING, 1 otherwise; for scripts
// waiting on a service to be ready.
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, service, "", "Service name to ask about (empty: the whole server)");
ABSL_FLAG(int, timeout_ms, 1000, "Deadline of the check");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("gt-health-check HOST:PORT [--service=NAME] [--timeout_ms=N]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << "usage: gt-health-check HOST:PORT [--service=NAME] [--timeout_ms=N]\n";
    return 2;
  }
  auto channel = grpc::CreateChannel(args[1], grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::cerr << args[1] << ": " << status.error_message() << "\n";
    return 1;
  }
  std::cout << args[1] << ": "
            << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}
