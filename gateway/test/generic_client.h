#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace gt::gateway::testing {

struct Reply {
  grpc::Status status;
  std::vector<std::string> messages;  // serialized responses
  std::multimap<std::string, std::string> initial_metadata;
  std::multimap<std::string, std::string> trailing_metadata;
};

using Metadata = std::vector<std::pair<std::string, std::string>>;

// Calls any method by path with one request message and reads every response
// until the status, whatever the method's streaming kind: what the tables of
// the end-to-end tests need to cover every method without code per method.
Reply CallMethod(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                 const google::protobuf::Message& request, const Metadata& metadata,
                 absl::Duration timeout = absl::Seconds(10));
// The same with raw request bytes.
Reply CallMethodBytes(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                      const std::string& request, const Metadata& metadata,
                      absl::Duration timeout = absl::Seconds(10));

Metadata Bearer(const std::string& token);

}  // namespace gt::gateway::testing
