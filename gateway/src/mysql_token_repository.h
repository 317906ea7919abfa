#pragma once

#include "gt/mysql_pool.h"
#include "token_repository.h"

namespace gt::gateway {

class MysqlTokenRepository final : public TokenRepository {
 public:
  explicit MysqlTokenRepository(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<goldenthread::v1::ApiToken> Create(const TokenRecord& record,
                                                    const RequestKey* request,
                                                    bool* replayed) override;
  absl::StatusOr<TokenRecord> FindBySecret(const std::string& organisation,
                                           const std::string& secret_hash) override;
  absl::StatusOr<TokenRecord> Get(const std::string& organisation,
                                  const std::string& token_id) override;
  absl::StatusOr<std::vector<TokenRecord>> List(const std::string& organisation,
                                                const std::string& after, int limit,
                                                bool show_revoked) override;
  absl::StatusOr<TokenRecord> Revoke(const std::string& organisation,
                                     const std::string& token_id) override;

 private:
  // Token checks sit in front of every call: a slow database must fail them
  // fast (UNAVAILABLE) rather than hold the caller for the pool's full wait.
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(3); }

  ConnectionPool& pool_;
};

}  // namespace gt::gateway
