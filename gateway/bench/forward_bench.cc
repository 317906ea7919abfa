// Measures the two ways gRPC 1.51 offers to forward calls it does not know
// at compile time, so the gateway's choice rests on numbers, not taste:
//   async:    grpc::AsyncGenericService + completion-queue threads, upstream
//             calls through GenericStub::PrepareUnaryCall on the same queues;
//   callback: grpc::CallbackGenericService reactors, upstream calls through
//             GenericStub::UnaryCall (callback).
// Both forward raw bytes of a unary call to an in-process backend; a
// closed-loop client with N outstanding calls measures throughput and latency.
//
//   gateway_forward_bench [--seconds=5] [--concurrency=16] [--cq_threads=2]
//
// With --serve, one forwarder runs as a process of its own in front of
// --upstream until SIGTERM: bench/run.sh --proxy sets it beside the gateway
// and nginx, as what gRPC itself costs a forwarded call, with nothing else
// done (no token, no authorisation, no metrics).
//
//   gateway_forward_bench --serve=127.0.0.1:7000 --upstream=127.0.0.1:50052
//                         --variant=async|callback [--cq_threads=1]
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "goldenthread/v1/plan.grpc.pb.h"

ABSL_FLAG(int, seconds, 5, "Seconds per variant");
ABSL_FLAG(int, concurrency, 16, "Outstanding client calls");
ABSL_FLAG(int, cq_threads, 2, "Completion-queue threads of the async forwarder");
ABSL_FLAG(std::string, serve, "", "Run one forwarder on this address until SIGTERM");
ABSL_FLAG(std::string, upstream, "", "With --serve: where calls go");
ABSL_FLAG(std::string, variant, "async", "With --serve: async or callback");
ABSL_FLAG(bool, reflection, false, "With --serve: also reflection (a sync service)");
ABSL_FLAG(bool, health, false, "With --serve: also gRPC's default health service (a callback one)");

namespace {

namespace v1 = goldenthread::v1;

class Backend final : public v1::PlanService::CallbackService {
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* context,
                                    const v1::GetPlanRequest* request, v1::Plan* plan) override {
    plan->set_name(request->name());
    plan->set_title("Strategic Plan 2017/18");
    plan->set_period_start("2017-04-01");
    plan->set_period_end("2018-03-31");
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

std::unique_ptr<grpc::Server> StartServer(std::function<void(grpc::ServerBuilder&)> add, int* port,
                                          const std::string& address = "127.0.0.1:0") {
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), port);
  add(builder);
  return builder.BuildAndStart();
}

// --- async generic forwarder --------------------------------------------------
class AsyncForwarder {
 public:
  AsyncForwarder(std::shared_ptr<grpc::Channel> upstream, int threads)
      : stub_(std::move(upstream)), threads_(threads) {}

  void Add(grpc::ServerBuilder& builder) {
    builder.RegisterAsyncGenericService(&service_);
    for (int i = 0; i < threads_; ++i) {
      cqs_.push_back(builder.AddCompletionQueue());
    }
  }

  void Run() {
    for (auto& cq : cqs_) {
      for (int i = 0; i < 64; ++i) {
        new Call(this, cq.get());
      }
      workers_.emplace_back([cq = cq.get()] {
        void* tag;
        bool ok;
        while (cq->Next(&tag, &ok)) {
          static_cast<Call*>(tag)->Proceed(ok);
        }
      });
    }
  }

  void Stop() {
    for (auto& cq : cqs_) {
      cq->Shutdown();
    }
    for (auto& t : workers_) {
      t.join();
    }
  }

 private:
  class Call {
   public:
    Call(AsyncForwarder* f, grpc::ServerCompletionQueue* cq) : f_(f), cq_(cq), stream_(&ctx_) {
      f_->service_.RequestCall(&ctx_, &stream_, cq_, cq_, this);
    }
    void Proceed(bool ok) {
      switch (state_) {
        case kRequested:
          if (!ok) {
            delete this;
            return;
          }
          new Call(f_, cq_);
          state_ = kReading;
          stream_.Read(&request_, this);
          return;
        case kReading:
          if (!ok) {
            state_ = kDone;
            stream_.Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"), this);
            return;
          }
          state_ = kUpstream;
          upstream_ctx_.set_deadline(ctx_.deadline());
          reader_ = f_->stub_.PrepareUnaryCall(&upstream_ctx_, ctx_.method(), request_, cq_);
          reader_->StartCall();
          reader_->Finish(&response_, &status_, this);
          return;
        case kUpstream:
          state_ = kDone;
          if (status_.ok()) {
            stream_.WriteAndFinish(response_, grpc::WriteOptions(), grpc::Status::OK, this);
          } else {
            stream_.Finish(status_, this);
          }
          return;
        case kDone:
          delete this;
          return;
      }
    }

   private:
    enum State { kRequested, kReading, kUpstream, kDone };
    AsyncForwarder* f_;
    grpc::ServerCompletionQueue* cq_;
    grpc::GenericServerContext ctx_;
    grpc::GenericServerAsyncReaderWriter stream_;
    grpc::ClientContext upstream_ctx_;
    std::unique_ptr<grpc::ClientAsyncResponseReader<grpc::ByteBuffer>> reader_;
    grpc::ByteBuffer request_, response_;
    grpc::Status status_;
    State state_ = kRequested;
  };

  grpc::AsyncGenericService service_;
  grpc::GenericStub stub_;
  int threads_;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> cqs_;
  std::vector<std::thread> workers_;
};

// --- callback generic forwarder -----------------------------------------------
class CallbackForwarder final : public grpc::CallbackGenericService {
 public:
  explicit CallbackForwarder(std::shared_ptr<grpc::Channel> upstream)
      : stub_(std::move(upstream)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(this, ctx);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(CallbackForwarder* f, grpc::GenericCallbackServerContext* ctx) : f_(f), ctx_(ctx) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
        return;
      }
      upstream_ctx_.set_deadline(ctx_->deadline());
      f_->stub_.UnaryCall(&upstream_ctx_, ctx_->method(), grpc::StubOptions(), &request_,
                          &response_, [this](grpc::Status status) {
                            if (status.ok()) {
                              StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
                            } else {
                              Finish(status);
                            }
                          });
    }
    void OnDone() override { delete this; }

   private:
    CallbackForwarder* f_;
    grpc::GenericCallbackServerContext* ctx_;
    grpc::ClientContext upstream_ctx_;
    grpc::ByteBuffer request_, response_;
  };

  grpc::GenericStub stub_;
};

// --- client -------------------------------------------------------------------
struct Result {
  double qps;
  double p50_us, p99_us;
  long errors;
};

Result Drive(const std::string& address, int seconds, int concurrency) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = v1::PlanService::NewStub(channel);
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<long> errors{0};
  std::atomic<bool> measuring{false}, stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < concurrency; ++i) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      v1::GetPlanRequest request;
      request.set_name("organisations/th/plans/2017-18");
      while (!stop) {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
        v1::Plan plan;
        absl::Time start = absl::Now();
        grpc::Status status = stub->GetPlan(&context, request, &plan);
        if (measuring) {
          mine.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
          if (!status.ok()) {
            ++errors;
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  absl::SleepFor(absl::Seconds(1));  // warm-up: connections, thread pools
  measuring = true;
  absl::Time start = absl::Now();
  absl::SleepFor(absl::Seconds(seconds));
  measuring = false;
  double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  stop = true;
  for (auto& t : threads) {
    t.join();
  }
  std::sort(latencies.begin(), latencies.end());
  Result r{};
  r.qps = latencies.size() / elapsed;
  if (!latencies.empty()) {
    r.p50_us = latencies[latencies.size() / 2];
    r.p99_us = latencies[latencies.size() * 99 / 100];
  }
  r.errors = errors;
  return r;
}

void Print(const char* name, const Result& r) {
  std::printf("%-10s %9.0f calls/s  p50 %7.0f us  p99 %7.0f us  errors %ld\n", name, r.qps,
              r.p50_us, r.p99_us, r.errors);
  std::fflush(stdout);
}

}  // namespace

// --serve: one forwarder as a process, until SIGTERM or SIGINT.
int Serve(const std::string& address, const std::string& upstream_address,
          const std::string& variant) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto upstream = grpc::CreateChannel(upstream_address, grpc::InsecureChannelCredentials());
  grpc::EnableDefaultHealthCheckService(absl::GetFlag(FLAGS_health));
  if (absl::GetFlag(FLAGS_reflection)) {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  }
  int port = 0;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<AsyncForwarder> async;
  std::unique_ptr<CallbackForwarder> callback;
  if (variant == "async") {
    async = std::make_unique<AsyncForwarder>(upstream, absl::GetFlag(FLAGS_cq_threads));
    server = StartServer([&](grpc::ServerBuilder& b) { async->Add(b); }, &port, address);
    if (server) {
      async->Run();
    }
  } else if (variant == "callback") {
    callback = std::make_unique<CallbackForwarder>(upstream);
    server = StartServer(
        [&](grpc::ServerBuilder& b) { b.RegisterCallbackGenericService(callback.get()); }, &port,
        address);
  } else {
    std::fprintf(stderr, "--variant: must be async or callback, got '%s'\n", variant.c_str());
    return 2;
  }
  if (!server || port == 0) {
    std::fprintf(stderr, "cannot listen on %s\n", address.c_str());
    return 1;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown(std::chrono::system_clock::now());
  if (async) {
    async->Stop();
  }
  return 0;
}

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_serve).empty()) {
    return Serve(absl::GetFlag(FLAGS_serve), absl::GetFlag(FLAGS_upstream),
                 absl::GetFlag(FLAGS_variant));
  }
  int seconds = absl::GetFlag(FLAGS_seconds);
  int concurrency = absl::GetFlag(FLAGS_concurrency);

  Backend backend;
  int backend_port = 0;
  auto backend_server =
      StartServer([&](grpc::ServerBuilder& b) { b.RegisterService(&backend); }, &backend_port);
  std::string backend_address = absl::StrCat("127.0.0.1:", backend_port);
  auto upstream = [&] {
    return grpc::CreateChannel(backend_address, grpc::InsecureChannelCredentials());
  };
  std::printf("unary GetPlan, %d outstanding calls, %d s per variant, %u cores\n", concurrency,
              seconds, std::thread::hardware_concurrency());
  Print("direct", Drive(backend_address, seconds, concurrency));

  {
    AsyncForwarder forwarder(upstream(), absl::GetFlag(FLAGS_cq_threads));
    int port = 0;
    auto server = StartServer([&](grpc::ServerBuilder& b) { forwarder.Add(b); }, &port);
    forwarder.Run();
    Print("async", Drive(absl::StrCat("127.0.0.1:", port), seconds, concurrency));
    server->Shutdown(std::chrono::system_clock::now());
    forwarder.Stop();
  }
  {
    CallbackForwarder forwarder(upstream());
    int port = 0;
    auto server = StartServer(
        [&](grpc::ServerBuilder& b) { b.RegisterCallbackGenericService(&forwarder); }, &port);
    Print("callback", Drive(absl::StrCat("127.0.0.1:", port), seconds, concurrency));
    server->Shutdown(std::chrono::system_clock::now());
  }
  return 0;
}
