#include "forwarder.h"

#include <google/protobuf/message.h>
#include <grpcpp/alarm.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gt/cq_tag.h"
#include "gt/drain.h"
#include "gt/grpc_status.h"
#include "gt/identity.h"
#include "gt/log.h"
#include "gt/request_check.h"

namespace gt::gateway {

// A forwarded service as gRPC sees it: its methods, each an async raw method
// of its kind. grpc::Service offers AddMethod, MarkMethodRaw and the
// RequestAsync* calls to subclasses for exactly this (the generated code
// uses them); here they are driven by the descriptor instead of by codegen.
class ForwardedService final : public grpc::Service {
 public:
  // Adds the method; its index.
  int Add(const MethodRule& rule) {
    // The rule (owned by the AccessPolicy, which outlives the server) keeps
    // the path that RpcServiceMethod points to.
    AddMethod(new grpc::internal::RpcServiceMethod(rule.path.c_str(),
                                                   rule.method->server_streaming()
                                                       ? grpc::internal::RpcMethod::SERVER_STREAMING
                                                       : grpc::internal::RpcMethod::NORMAL_RPC,
                                                   nullptr));
    MarkMethodRaw(count_);
    return count_++;
  }

  void Request(int index, bool streaming, grpc::ServerContext* context, grpc::ByteBuffer* request,
               grpc::internal::ServerAsyncStreamingInterface* stream,
               grpc::ServerCompletionQueue* cq, void* tag) {
    if (streaming) {
      RequestAsyncServerStreaming(index, context, request, stream, cq, cq, tag);
    } else {
      RequestAsyncUnary(index, context, request, stream, cq, cq, tag);
    }
  }

 private:
  int count_ = 0;
};

// One forwarded call, unary or server-streaming, from its request to its
// end. Every event of the call comes to the thread of its completion queue
// (the token look-up on a cache miss too: the executor hands it back with
// an alarm), so its state needs no lock. It counts the operations it has
// started and not yet seen complete (each Event takes its own off), and
// deletes itself when none is left; the "done" notification, outstanding
// from the call's arrival to its very end, keeps that count above zero
// until then.
class ForwardCall final {
 public:
  ForwardCall(Forwarder& forwarder, const Forwarder::Method& method,
              grpc::ServerCompletionQueue* cq)
      : f_(forwarder), method_(method), cq_(cq), streaming_(method.rule->streaming()) {
    // Before the request: the tag of a call that never arrives never comes,
    // so it is counted only once the call has arrived.
    context_.AsyncNotifyWhenDone(&done_);
    pending_ = 1;  // arrived_
    method_.service->Request(
        method_.index, streaming_, &context_, &request_,
        streaming_ ? static_cast<grpc::internal::ServerAsyncStreamingInterface*>(&stream_writer_)
                   : &unary_responder_,
        cq_, &arrived_);
  }

 private:
  // The tag of one operation: the call's step for its outcome, with the
  // count kept around it.
  class Event final : public CqTag {
   public:
    Event(ForwardCall* call, void (ForwardCall::*step)(bool)) : call_(call), step_(step) {}
    void Proceed(bool ok) override {
      --call_->pending_;
      (call_->*step_)(ok);
      call_->Settle();  // last: it may delete the call
    }

   private:
    ForwardCall* const call_;
    void (ForwardCall::*const step_)(bool);
  };

  // --- the events --------------------------------------------------------
  void Arrived(bool ok) {
    if (!ok) {  // the server is shutting down; nothing else was started
      return;
    }
    new ForwardCall(f_, method_, cq_);  // the next call of this method
    ++pending_;                         // done_
    start_ = absl::Now();
    request_id_ = RequestIdFor(ClientHeader(context_, kRequestIdHeader));
    context_.AddInitialMetadata(kRequestIdHeader, request_id_);
    if (ProcessDraining()) {
      Reply(FromGrpcStatus(DrainingRefusal()));
      return;
    }

    PresentedToken presented;
    auto cached =
        f_.gate_.authenticator.TryCached(ClientHeader(context_, "authorization"), &presented);
    if (cached.has_value()) {
      Authorise(*std::move(cached));
      return;
    }
    // A token this gateway has not seen lately: looked up in the database,
    // unless its address has guessed too often (AuthThrottle).
    address_ = AuthThrottle::AddressOf(context_.peer());
    if (absl::Duration left = f_.gate_.throttle.Blocked(address_, start_);
        left > absl::ZeroDuration()) {
      Reply(ThrottledAuth(f_.gate_.metrics, left), left);
    } else {
      ++pending_;                                // authorised_
      alarm_ = std::make_unique<grpc::Alarm>();  // only on a miss: it allocates
      bool queued = f_.executor_.Submit([this, presented] {
        verified_ = f_.gate_.authenticator.Verify(presented);
        alarm_->Set(cq_, gpr_time_0(GPR_CLOCK_REALTIME), &authorised_);
      });
      if (!queued) {
        --pending_;
        Reply(absl::UnavailableError("the gateway is overloaded; retry shortly"));
      }
    }
  }

  void Authorised(bool) { Authorise(std::move(verified_)); }

  // The client's side is over: answered, cancelled, or past its deadline.
  void Done(bool) {
    if (context_.IsCancelled() && upstream_started_ && !upstream_over_) {
      upstream_context_.TryCancel();
    }
  }

  void UnaryUpstreamDone(bool) {
    upstream_over_ = true;
    grpc::Status status = Conclude(upstream_status_);
    ++pending_;  // finished_
    if (status.ok()) {
      unary_responder_.Finish(response_, status, &finished_);
    } else {
      unary_responder_.FinishWithError(status, &finished_);
    }
  }

  void StreamStarted(bool ok) {
    if (!ok) {
      upstream_ended_ = true;
    } else {
      pending_ += 2;  // stream_written_, stream_read_
      upstream_writing_ = true;
      upstream_stream_->WriteLast(request_, grpc::WriteOptions(), &stream_written_);
      upstream_stream_->Read(&response_, &stream_read_);
    }
    MaybeFinishUpstream();
  }

  void StreamWritten(bool) {
    upstream_writing_ = false;
    MaybeFinishUpstream();
  }

  void StreamRead(bool ok) {
    if (ok) {
      ++pending_;  // client_written_
      stream_writer_.Write(response_, &client_written_);
    } else {
      upstream_ended_ = true;  // its status follows from Finish
      MaybeFinishUpstream();
    }
  }

  void ClientWritten(bool ok) {
    if (ok) {
      ++pending_;  // stream_read_
      upstream_stream_->Read(&response_, &stream_read_);
    } else {
      // The client went away mid-stream.
      upstream_context_.TryCancel();
      upstream_ended_ = true;
      MaybeFinishUpstream();
    }
  }

  void StreamFinished(bool) {
    upstream_over_ = true;
    grpc::Status status = Conclude(upstream_status_);
    ++pending_;  // finished_
    stream_writer_.Finish(status, &finished_);
  }

  void Finished(bool) {}

  // --- the steps ---------------------------------------------------------
  void Settle() {
    if (pending_ == 0) {
      if (stream_slot_) {
        f_.gate_.limiter.ReleaseStream(LimiterKey(identity_));
      }
      delete this;
    }
  }

  void Authorise(absl::StatusOr<Identity> identity) {
    if (!identity.ok()) {
      if (Authenticator::IsUnknownToken(identity.status())) {
        f_.gate_.throttle.Failed(address_, absl::Now());
      }
      Reply(identity.status());
      return;
    }
    identity_ = *std::move(identity);
    authenticated_ = true;
    absl::Duration retry_after;
    absl::Status admitted = Admit(identity_, *method_.rule, f_.gate_.limiter, f_.gate_.metrics,
                                  absl::Now(), &retry_after);
    if (!admitted.ok()) {
      Reply(admitted, retry_after);
      return;
    }
    absl::Status checked = CheckRequest();
    if (!checked.ok()) {
      Reply(checked);
      return;
    }
    if (streaming_) {
      if (!f_.gate_.limiter.AcquireStream(LimiterKey(identity_))) {
        f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kTooManyStreams);
        Reply(absl::ResourceExhaustedError(
            absl::StrCat("this token already has ", f_.gate_.limiter.options().max_streams,
                         " streams open, the most it may; close one first")));
        return;
      }
      stream_slot_ = true;
    }
    StartUpstream();
  }

  // Parses the request (the bytes stay as they are) and checks every
  // resource name in it against the token's organisation.
  absl::Status CheckRequest() {
    std::unique_ptr<google::protobuf::Message> message(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method_.rule->method->input_type())
            ->New());
    grpc::ProtoBufferReader reader(&request_);
    if (!message->ParseFromZeroCopyStream(&reader)) {
      f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kBadRequest);
      std::string flat;
      std::vector<grpc::Slice> slices;
      if (request_.Dump(&slices).ok()) {
        for (const grpc::Slice& s : slices) {
          flat.append(reinterpret_cast<const char*>(s.begin()), s.size());
        }
      }
      if (auto field = FindInvalidUtf8(method_.rule->method->input_type(), flat)) {
        return InvalidField(*field, "must be valid UTF-8");
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "the request is not a valid ", method_.rule->method->input_type()->full_name()));
    }
    if (absl::Status values = CheckRequestValues(*message); !values.ok()) {
      f_.gate_.metrics.CountRejection(GatewayMetrics::Rejection::kBadRequest);
      return values;
    }
    absl::Status status = CheckOrganisation(*message, identity_.organisation);
    if (!status.ok()) {
      f_.gate_.metrics.CountRejection(absl::IsNotFound(status)
                                          ? GatewayMetrics::Rejection::kOrganisation
                                          : GatewayMetrics::Rejection::kBadRequest);
    }
    return status;
  }

  void StartUpstream() {
    absl::Time client_deadline = context_.deadline() == std::chrono::system_clock::time_point::max()
                                     ? absl::InfiniteFuture()
                                     : absl::FromChrono(context_.deadline());
    upstream_context_.set_deadline(absl::ToChronoTime(
        UpstreamDeadline(f_.gate_.deadlines, client_deadline, streaming_, absl::Now())));
    for (const auto& [key, value] : context_.client_metadata()) {
      absl::string_view k(key.data(), key.size());
      if (IsForwardedMetadata(k)) {
        upstream_context_.AddMetadata(std::string(k), std::string(value.data(), value.size()));
      }
    }
    upstream_context_.AddMetadata(kOrganisationHeader, identity_.organisation);
    upstream_context_.AddMetadata(kRoleHeader, goldenthread::v1::Role_Name(identity_.role));
    upstream_context_.AddMetadata(kSubjectHeader, identity_.subject);
    // Only for a limited token: absent means the whole organisation (a
    // client's own x-gt-directorates was dropped with every x-gt-* above).
    if (!identity_.directorates.empty()) {
      upstream_context_.AddMetadata(kDirectoratesHeader, JoinDirectorates(identity_.directorates));
    }
    upstream_context_.AddMetadata(kRequestIdHeader, request_id_);
    if (!f_.gate_.identity_key.empty()) {
      // Vouches for the identity, its directorate scope included, until the
      // upstream call's deadline (streams included), so a backend believes
      // it and may pass it on.
      Caller caller;
      caller.organisation = identity_.organisation;
      caller.role = identity_.role;
      caller.subject = identity_.subject;
      caller.directorates = identity_.directorates;
      absl::Time until = absl::FromChrono(upstream_context_.deadline());
      upstream_context_.AddMetadata(
          kSealHeader,
          SealIdentity(f_.gate_.identity_key, caller,
                       std::min(until, absl::Now() + absl::Hours(25)) + absl::Seconds(60)));
    }
    upstream_start_ = absl::Now();
    upstream_started_ = true;
    grpc::GenericStub& stub = method_.backend->stub();
    ++pending_;  // unary_upstream_done_ or stream_started_
    if (!streaming_) {
      upstream_unary_ =
          stub.PrepareUnaryCall(&upstream_context_, method_.rule->path, request_, cq_);
      upstream_unary_->StartCall();
      upstream_unary_->Finish(&response_, &upstream_status_, &unary_upstream_done_);
    } else {
      upstream_stream_ = stub.PrepareCall(&upstream_context_, method_.rule->path, cq_);
      upstream_stream_->StartCall(&stream_started_);
    }
  }

  // The upstream stream's status, once it has ended and no write to it is
  // outstanding.
  void MaybeFinishUpstream() {
    if (upstream_ended_ && !upstream_writing_ && !upstream_finishing_) {
      upstream_finishing_ = true;
      ++pending_;  // stream_finished_
      upstream_stream_->Finish(&upstream_status_, &stream_finished_);
    }
  }

  // The upstream call is over: metrics, trailers, log; the status to send.
  grpc::Status Conclude(const grpc::Status& upstream_status) {
    absl::Duration upstream_latency = absl::Now() - upstream_start_;
    f_.gate_.metrics.ObserveUpstream(method_.backend->name,
                                     absl::ToDoubleSeconds(upstream_latency));
    for (const auto& [key, value] : upstream_context_.GetServerTrailingMetadata()) {
      absl::string_view k(key.data(), key.size());
      if (!absl::StartsWith(k, "grpc-") && !absl::StartsWith(k, ":")) {
        context_.AddTrailingMetadata(std::string(k), std::string(value.data(), value.size()));
      }
    }
    // Passed on whole: code, message and binary error details (the
    // google.rpc.BadRequest of an INVALID_ARGUMENT); the two rewrites below
    // keep the details too, made to agree with their code and message.
    grpc::Status final_status = upstream_status;
    if (upstream_status.error_code() == grpc::StatusCode::CANCELLED && !context_.IsCancelled()) {
      // Our client did not cancel: the backend ended the call (a server
      // stopping, in gRPC 1.51, cancels calls it has not started). Whether
      // it did anything is not known: UNAVAILABLE, which clients retry, with
      // the same request_id.
      final_status = ReplaceCodeAndMessage(
          upstream_status, grpc::StatusCode::UNAVAILABLE,
          absl::StrCat(method_.backend->name, " ended the call before answering; retry"));
    }
    if (upstream_status.error_code() == grpc::StatusCode::UNAVAILABLE &&
        IsTransportFailure(upstream_status.error_message())) {
      LogError("upstream unreachable", {{"backend", method_.backend->name},
                                        {"request_id", request_id_},
                                        {"error", upstream_status.error_message()}});
      final_status = ReplaceCodeAndMessage(
          upstream_status, grpc::StatusCode::UNAVAILABLE,
          absl::StrCat(method_.backend->name, " is unavailable; retry shortly"));
    }
    LogCall({method_.rule->path.substr(1), request_id_, &identity_, method_.backend->name,
             final_status.error_code(), absl::Now() - start_, upstream_latency});
    return final_status;
  }

  // Answers without forwarding.
  void Reply(const absl::Status& status, absl::Duration retry_after = absl::ZeroDuration()) {
    if (retry_after > absl::ZeroDuration()) {
      context_.AddTrailingMetadata(kRetryAfterHeader,
                                   absl::StrCat(absl::ToInt64Milliseconds(retry_after)));
    }
    grpc::Status out = ToGrpcStatus(status);
    LogCall({method_.rule->path.substr(1), request_id_, authenticated_ ? &identity_ : nullptr, "",
             out.error_code(), absl::Now() - start_, absl::ZeroDuration()});
    ++pending_;  // finished_
    if (streaming_) {
      stream_writer_.Finish(out, &finished_);
    } else {
      unary_responder_.FinishWithError(out, &finished_);
    }
  }

  Forwarder& f_;
  const Forwarder::Method method_;
  grpc::ServerCompletionQueue* const cq_;
  const bool streaming_;

  grpc::ServerContext context_;
  grpc::ByteBuffer request_;
  grpc::ServerAsyncResponseWriter<grpc::ByteBuffer> unary_responder_{&context_};
  grpc::ServerAsyncWriter<grpc::ByteBuffer> stream_writer_{&context_};

  absl::Time start_;
  std::string request_id_;
  std::string address_;                // the client's, for AuthThrottle
  absl::StatusOr<Identity> verified_;  // from the executor, on a cache miss
  std::unique_ptr<grpc::Alarm> alarm_;
  Identity identity_;
  bool authenticated_ = false;
  bool stream_slot_ = false;

  grpc::ClientContext upstream_context_;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> upstream_unary_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> upstream_stream_;
  grpc::ByteBuffer response_;
  grpc::Status upstream_status_;
  absl::Time upstream_start_;
  bool upstream_started_ = false;
  bool upstream_over_ = false;
  bool upstream_writing_ = false;
  bool upstream_ended_ = false;
  bool upstream_finishing_ = false;

  int pending_ = 0;
  Event arrived_{this, &ForwardCall::Arrived};
  Event authorised_{this, &ForwardCall::Authorised};
  Event done_{this, &ForwardCall::Done};
  Event unary_upstream_done_{this, &ForwardCall::UnaryUpstreamDone};
  Event stream_started_{this, &ForwardCall::StreamStarted};
  Event stream_written_{this, &ForwardCall::StreamWritten};
  Event stream_read_{this, &ForwardCall::StreamRead};
  Event client_written_{this, &ForwardCall::ClientWritten};
  Event stream_finished_{this, &ForwardCall::StreamFinished};
  Event finished_{this, &ForwardCall::Finished};
};

// A call to a method none of the services has. What gRPC itself answers for
// a method it does not serve, before any authentication, as gRPC would: the
// API is public, so saying which methods exist reveals nothing.
class UnknownCall final {
 public:
  UnknownCall(Forwarder& forwarder, grpc::ServerCompletionQueue* cq) : f_(forwarder), cq_(cq) {
    f_.unknown_methods_.RequestCall(&context_, &stream_, cq_, cq_, &arrived_);
  }

 private:
  void Arrived(bool ok) {
    if (!ok) {
      delete this;
      return;
    }
    new UnknownCall(f_, cq_);
    std::string request_id = RequestIdFor(ClientHeader(context_, kRequestIdHeader));
    absl::string_view method = context_.method();
    absl::ConsumePrefix(&method, "/");
    LogCall({method, request_id, nullptr, "", grpc::StatusCode::UNIMPLEMENTED, absl::ZeroDuration(),
             absl::ZeroDuration()});
    stream_.Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                absl::StrCat("unknown method ", context_.method(),
                                             " (see protos/goldenthread/v1)")),
                   &finished_);
  }
  void Finished(bool) { delete this; }

  Forwarder& f_;
  grpc::ServerCompletionQueue* const cq_;
  grpc::GenericServerContext context_;
  grpc::GenericServerAsyncReaderWriter stream_{&context_};
  MemberTag<UnknownCall> arrived_{this, &UnknownCall::Arrived};
  MemberTag<UnknownCall> finished_{this, &UnknownCall::Finished};
};

Forwarder::Forwarder(Gate gate, const Backends& backends, Executor& executor)
    : gate_(gate), backends_(backends), executor_(executor) {}

Forwarder::~Forwarder() = default;

absl::StatusOr<std::vector<grpc::Service*>> Forwarder::Services() {
  std::map<std::string, std::vector<const MethodRule*>> by_service;
  for (const auto& [path, rule] : gate_.policy.rules()) {
    by_service[rule.method->service()->full_name()].push_back(&rule);
  }
  std::vector<grpc::Service*> services;
  for (const auto& [name, rules] : by_service) {
    const Backends::Backend* backend = backends_.ForService(name);
    if (backend == nullptr) {
      continue;
    }
    services_.push_back(std::make_unique<ForwardedService>());
    for (const MethodRule* rule : rules) {
      if (rule->method->client_streaming()) {
        return absl::InvalidArgumentError(
            absl::StrCat(rule->path,
                         " is client-streaming; the gateway forwards unary and "
                         "server-streaming methods only"));
      }
      methods_.push_back({services_.back().get(), services_.back()->Add(*rule), rule, backend});
    }
    services.push_back(services_.back().get());
  }
  return services;
}

void Forwarder::Serve(grpc::ServerCompletionQueue* cq) {
  // A few requests in waiting for each method: calls that arrive together
  // need not wait for the one before them to be taken up.
  constexpr int kWaiting = 4;
  for (const Method& method : methods_) {
    for (int i = 0; i < kWaiting; ++i) {
      new ForwardCall(*this, method, cq);
    }
  }
  new UnknownCall(*this, cq);
}

}  // namespace gt::gateway
