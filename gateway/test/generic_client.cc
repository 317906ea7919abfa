#include "generic_client.h"

#include <grpcpp/generic/generic_stub.h>

namespace gt::gateway::testing {
namespace {

std::multimap<std::string, std::string> Copy(
    const std::multimap<grpc::string_ref, grpc::string_ref>& in) {
  std::multimap<std::string, std::string> out;
  for (const auto& [k, v] : in) {
    out.emplace(std::string(k.data(), k.size()), std::string(v.data(), v.size()));
  }
  return out;
}

}  // namespace

Reply CallMethodBytes(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                      const std::string& request, const Metadata& metadata,
                      absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  for (const auto& [k, v] : metadata) {
    context.AddMetadata(k, v);
  }
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, path, &cq);
  void* tag;
  bool ok;
  Reply reply;
  call->StartCall(reinterpret_cast<void*>(1));
  cq.Next(&tag, &ok);
  if (ok) {
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    call->WriteLast(buffer, grpc::WriteOptions(), reinterpret_cast<void*>(2));
    cq.Next(&tag, &ok);
    while (true) {
      grpc::ByteBuffer response;
      call->Read(&response, reinterpret_cast<void*>(3));
      cq.Next(&tag, &ok);
      if (!ok) {
        break;
      }
      std::vector<grpc::Slice> slices;
      (void)response.Dump(&slices);
      std::string bytes;
      for (const auto& s : slices) {
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      reply.messages.push_back(std::move(bytes));
    }
  }
  call->Finish(&reply.status, reinterpret_cast<void*>(4));
  cq.Next(&tag, &ok);
  reply.initial_metadata = Copy(context.GetServerInitialMetadata());
  reply.trailing_metadata = Copy(context.GetServerTrailingMetadata());
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return reply;
}

Reply CallMethod(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                 const google::protobuf::Message& request, const Metadata& metadata,
                 absl::Duration timeout) {
  return CallMethodBytes(channel, path, request.SerializeAsString(), metadata, timeout);
}

Metadata Bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }

}  // namespace gt::gateway::testing
