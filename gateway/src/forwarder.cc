#include "forwarder.h"

#include <google/protobuf/message.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gt/identity.h"
#include "gt/log.h"
#include "gt/status.h"

namespace gt::gateway {

// One forwarded call. Lifetime: deleted in the server side's OnDone, which
// comes after Finish; once the upstream call has started, Finish is only
// called from the upstream's last reaction, so the upstream is done with
// this object before it goes. Operations on the upstream started from this
// side's reactions are covered by holds, so the upstream cannot end under
// them. Reactions of the two sides run on different threads, hence mu_;
// Finish is always the last thing a reaction does, as OnDone (and delete)
// may follow at once on another thread.
class ForwardCall final : public grpc::ServerGenericBidiReactor {
 public:
  ForwardCall(Forwarder& forwarder, grpc::CallbackServerContext* context, const MethodRule& rule,
              const Backends::Backend& backend)
      : f_(forwarder),
        context_(context),
        start_(absl::Now()),
        rule_(&rule),
        backend_(&backend),
        upstream_(this) {
    request_id_ = RequestIdFor(ClientHeader(*context_, kRequestIdHeader));
    context_->AddInitialMetadata(kRequestIdHeader, request_id_);
    PresentedToken presented;
    auto cached =
        f_.gate_.authenticator.TryCached(ClientHeader(*context_, "authorization"), &presented);
    if (cached.has_value()) {
      Authorise(*std::move(cached));
      return;
    }
    bool queued = f_.executor_.Submit(
        [this, presented] { Authorise(f_.gate_.authenticator.Verify(presented)); });
    if (!queued) {
      Reply(absl::UnavailableError("the gateway is overloaded; retry shortly"));
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      OnClientHalfClose();
      return;
    }
    absl::Status checked = CheckRequest();
    if (!checked.ok()) {
      bool started;
      {
        std::lock_guard<std::mutex> lock(mu_);
        started = upstream_started_;
        if (started) {
          override_status_ = checked;
        }
      }
      if (started) {
        // A later message of a client stream: the upstream finishes the call
        // (with override_status_) once cancelled.
        upstream_context_.TryCancel();
        upstream_.RemoveHold();
        return;
      }
      Reply(checked);
      return;
    }
    bool started;
    {
      std::lock_guard<std::mutex> lock(mu_);
      started = upstream_started_;
    }
    if (!rule_->streaming()) {
      StartUnary();
    } else if (!started) {
      StartStream();
    } else {
      upstream_.StartWrite(&request_);
    }
  }

  void OnWriteDone(bool ok) override {
    if (ok) {
      upstream_.StartRead(&response_);
    } else {
      // The client went away mid-stream.
      upstream_context_.TryCancel();
    }
    // Taken in OnUpstreamReadDone: the upstream call could not end while
    // this side was still to ask it for the next message.
    upstream_.RemoveHold();
  }

  void OnCancel() override { upstream_context_.TryCancel(); }

  void OnDone() override {
    if (stream_slot_) {
      f_.gate_.limiter.ReleaseStream(LimiterKey(identity_));
    }
    delete this;
  }

 private:
  // The client side of a streaming upstream call.
  class Upstream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ForwardCall* call) : call_(call) {}
    void OnWriteDone(bool ok) override { call_->OnUpstreamWriteDone(ok); }
    void OnReadDone(bool ok) override { call_->OnUpstreamReadDone(ok); }
    void OnDone(const grpc::Status& status) override { call_->OnUpstreamDone(status); }

   private:
    ForwardCall* call_;
  };

  void Authorise(absl::StatusOr<Identity> identity) {
    if (!identity.ok()) {
      Reply(identity.status());
      return;
    }
    identity_ = *std::move(identity);
    authenticated_ = true;
    absl::Duration retry_after;
    absl::Status admitted =
        Admit(identity_, *rule_, f_.gate_.limiter, f_.gate_.metrics, absl::Now(), &retry_after);
    if (!admitted.ok()) {
      Reply(admitted, retry_after);
      return;
    }
    if (rule_->streaming()) {
      if (!f_.gate_.limiter.AcquireStream(LimiterKey(identity_))) {
        f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kTooManyStreams);
        Reply(absl::ResourceExhaustedError(
            absl::StrCat("this token already has ", f_.gate_.limiter.options().max_streams,
                         " streams open, the most it may; close one first")));
        return;
      }
      stream_slot_ = true;
    }
    StartRead(&request_);
  }

  // Parses the message just read (the bytes stay as they are) and checks
  // every resource name in it against the token's organisation.
  absl::Status CheckRequest() {
    if (message_ == nullptr) {
      message_.reset(google::protobuf::MessageFactory::generated_factory()
                         ->GetPrototype(rule_->method->input_type())
                         ->New());
    }
    message_->Clear();
    grpc::ProtoBufferReader reader(&request_);
    if (!message_->ParseFromZeroCopyStream(&reader)) {
      f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kBadRequest);
      return absl::InvalidArgumentError(
          absl::StrCat("the request is not a valid ", rule_->method->input_type()->full_name()));
    }
    absl::Status status = CheckOrganisation(*message_, identity_.organisation);
    if (!status.ok()) {
      f_.gate_.metrics.CountRejection(absl::IsNotFound(status)
                                          ? GatewayMetrics::Rejection::kOrganisation
                                          : GatewayMetrics::Rejection::kBadRequest);
    }
    return status;
  }

  void OnClientHalfClose() {
    bool started;
    {
      std::lock_guard<std::mutex> lock(mu_);
      started = upstream_started_;
    }
    if (started) {
      upstream_.StartWritesDone();
      upstream_.RemoveHold();
    } else if (context_->IsCancelled()) {
      Reply(absl::CancelledError("the client cancelled the call"));
    } else if (rule_->method->client_streaming()) {
      StartStream(/*first_message=*/false);
    } else {
      f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kBadRequest);
      Reply(absl::InvalidArgumentError("the call carried no request message"));
    }
  }

  void PrepareUpstreamContext() {
    absl::Time client_deadline =
        context_->deadline() == std::chrono::system_clock::time_point::max()
            ? absl::InfiniteFuture()
            : absl::FromChrono(context_->deadline());
    upstream_context_.set_deadline(absl::ToChronoTime(
        UpstreamDeadline(f_.gate_.deadlines, client_deadline, rule_->streaming(), absl::Now())));
    for (const auto& [key, value] : context_->client_metadata()) {
      absl::string_view k(key.data(), key.size());
      if (IsForwardedMetadata(k)) {
        upstream_context_.AddMetadata(std::string(k), std::string(value.data(), value.size()));
      }
    }
    upstream_context_.AddMetadata(kOrganisationHeader, identity_.organisation);
    upstream_context_.AddMetadata(kRoleHeader, goldenthread::v1::Role_Name(identity_.role));
    upstream_context_.AddMetadata(kSubjectHeader, identity_.subject);
    upstream_context_.AddMetadata(kRequestIdHeader, request_id_);
    upstream_start_ = absl::Now();
  }

  void StartUnary() {
    PrepareUpstreamContext();
    {
      std::lock_guard<std::mutex> lock(mu_);
      upstream_started_ = true;
    }
    backend_->stub().UnaryCall(&upstream_context_, rule_->path, grpc::StubOptions(), &request_,
                               &response_, [this](const grpc::Status& status) {
                                 grpc::Status final_status = Conclude(status);
                                 if (final_status.ok()) {
                                   StartWriteAndFinish(&response_, grpc::WriteOptions(),
                                                       final_status);
                                 } else {
                                   Finish(final_status);
                                 }
                               });
  }

  void StartStream(bool first_message = true) {
    PrepareUpstreamContext();
    {
      std::lock_guard<std::mutex> lock(mu_);
      upstream_started_ = true;
    }
    backend_->stub().PrepareBidiStreamingCall(&upstream_context_, rule_->path, grpc::StubOptions(),
                                              &upstream_);
    bool client_streaming = rule_->method->client_streaming();
    if (!first_message) {
      upstream_.StartWritesDone();
    } else if (client_streaming) {
      // More client messages may come: keep the upstream open for writes
      // started from this side's reactions until the client half-closes.
      upstream_.AddHold();
      upstream_.StartWrite(&request_);
    } else {
      upstream_.StartWriteLast(&request_, grpc::WriteOptions());
    }
    upstream_.StartRead(&response_);
    upstream_.StartCall();
  }

  void OnUpstreamWriteDone(bool ok) {
    if (!rule_->method->client_streaming()) {
      return;
    }
    if (ok) {
      StartRead(&request_);
    } else {
      // The upstream call is over; its OnDone brings the status.
      upstream_.RemoveHold();
    }
  }

  void OnUpstreamReadDone(bool ok) {
    if (!ok) {
      return;  // end of the upstream stream; OnUpstreamDone follows
    }
    // The next upstream read is started from this side's OnWriteDone, which
    // is not a reaction of the upstream call: hold it open until then.
    upstream_.AddHold();
    StartWrite(&response_);
  }

  void OnUpstreamDone(const grpc::Status& status) { Finish(Conclude(status)); }

  // The upstream call is over: metrics, trailers, log; the status to send.
  grpc::Status Conclude(const grpc::Status& upstream_status) {
    absl::Duration upstream_latency = absl::Now() - upstream_start_;
    f_.gate_.metrics.ObserveUpstream(backend_->name, absl::ToDoubleSeconds(upstream_latency));
    for (const auto& [key, value] : upstream_context_.GetServerTrailingMetadata()) {
      absl::string_view k(key.data(), key.size());
      if (!absl::StartsWith(k, "grpc-") && !absl::StartsWith(k, ":")) {
        context_->AddTrailingMetadata(std::string(k), std::string(value.data(), value.size()));
      }
    }
    grpc::Status final_status = upstream_status;
    if (upstream_status.error_code() == grpc::StatusCode::UNAVAILABLE &&
        IsTransportFailure(upstream_status.error_message())) {
      LogError("upstream unreachable", {{"backend", backend_->name},
                                        {"request_id", request_id_},
                                        {"error", upstream_status.error_message()}});
      final_status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                  absl::StrCat(backend_->name, " is unavailable; retry shortly"));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (override_status_) {
        final_status = ToGrpcStatus(*override_status_);
      }
    }
    LogCall({rule_->path.substr(1), request_id_, &identity_, backend_->name,
             final_status.error_code(), absl::Now() - start_, upstream_latency});
    return final_status;
  }

  // Answers without (or before) forwarding.
  void Reply(const absl::Status& status, absl::Duration retry_after = absl::ZeroDuration()) {
    if (retry_after > absl::ZeroDuration()) {
      context_->AddTrailingMetadata(kRetryAfterHeader,
                                    absl::StrCat(absl::ToInt64Milliseconds(retry_after)));
    }
    grpc::Status out = ToGrpcStatus(status);
    LogCall({rule_->path.substr(1), request_id_, authenticated_ ? &identity_ : nullptr, "",
             out.error_code(), absl::Now() - start_, absl::ZeroDuration()});
    Finish(out);
  }

  Forwarder& f_;
  grpc::CallbackServerContext* context_;
  const absl::Time start_;
  const MethodRule* const rule_;
  const Backends::Backend* const backend_;
  std::string request_id_;
  Identity identity_;
  bool authenticated_ = false;
  bool stream_slot_ = false;
  std::unique_ptr<google::protobuf::Message> message_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  grpc::ClientContext upstream_context_;
  absl::Time upstream_start_;
  Upstream upstream_;

  std::mutex mu_;
  bool upstream_started_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Status> override_status_ ABSL_GUARDED_BY(mu_);
};

// A forwarded service as gRPC sees it: its methods, each a raw callback
// stream handled by a ForwardCall. grpc::Service offers AddMethod and
// MarkMethodRawCallback to subclasses for exactly this (the generated code
// uses them); here they are driven by the descriptor instead of by codegen.
class ForwardedService final : public grpc::Service {
 public:
  ForwardedService(Forwarder& forwarder, const std::vector<const MethodRule*>& rules,
                   const Backends::Backend& backend) {
    int index = 0;
    for (const MethodRule* rule : rules) {
      // The rule (owned by the AccessPolicy, which outlives the server) keeps
      // the path that RpcServiceMethod points to.
      AddMethod(new grpc::internal::RpcServiceMethod(
          rule->path.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING, nullptr));
      MarkMethodRawCallback(
          index++, new grpc::internal::CallbackBidiHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
                       [&forwarder, rule, &backend](grpc::CallbackServerContext* context) {
                         return forwarder.Forward(context, *rule, backend);
                       }));
    }
  }
};

std::vector<std::unique_ptr<grpc::Service>> Forwarder::Services() {
  std::map<std::string, std::vector<const MethodRule*>> by_service;
  for (const auto& [path, rule] : gate_.policy.rules()) {
    by_service[rule.method->service()->full_name()].push_back(&rule);
  }
  std::vector<std::unique_ptr<grpc::Service>> services;
  for (const auto& [service, rules] : by_service) {
    const Backends::Backend* backend = backends_.ForService(service);
    if (backend != nullptr) {
      services.push_back(std::make_unique<ForwardedService>(*this, rules, *backend));
    }
  }
  return services;
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Forwarder::Forward(
    grpc::CallbackServerContext* context, const MethodRule& rule,
    const Backends::Backend& backend) {
  return new ForwardCall(*this, context, rule, backend);
}

grpc::ServerGenericBidiReactor* Forwarder::UnknownMethods::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  // What gRPC itself answers for a method it does not serve, before any
  // authentication, as gRPC would: the API is public, so saying which methods
  // exist reveals nothing.
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    explicit Reactor(grpc::GenericCallbackServerContext* context) {
      std::string request_id = RequestIdFor(ClientHeader(*context, kRequestIdHeader));
      absl::string_view method = context->method();
      absl::ConsumePrefix(&method, "/");
      LogCall({method, request_id, nullptr, "", grpc::StatusCode::UNIMPLEMENTED,
               absl::ZeroDuration(), absl::ZeroDuration()});
      Finish(grpc::Status(
          grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat("unknown method ", context->method(), " (see protos/goldenthread/v1)")));
    }
    void OnDone() override { delete this; }
  };
  return new Reactor(context);
}

}  // namespace gt::gateway
