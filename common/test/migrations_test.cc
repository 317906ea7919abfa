#include "gt/migrations.h"

#include <gtest/gtest.h>

#include "gt/test_database.h"

namespace gt {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  TestDatabase db_{"migrations"};
  prometheus::Registry registry_;
  ConnectionPool pool_{db_.uri(), PoolOptions{}, registry_};
  std::vector<Migration> v1_ = {
      {1, "0001_init.sql", "CREATE TABLE t (\n  org_id VARCHAR(63) NOT NULL PRIMARY KEY\n);\n"},
      {2, "0002_more.sql",
       "ALTER TABLE t ADD COLUMN x INT NULL;\nINSERT INTO t VALUES ('a', 1);\n"}};
};

TEST_F(MigrationsTest, AppliesOnceInOrder) {
  ASSERT_TRUE(ApplyMigrations(pool_, v1_).ok());
  ASSERT_TRUE(ApplyMigrations(pool_, v1_).ok());  // second run: nothing to do
  EXPECT_EQ(db_.QueryScalar("SELECT COUNT(*) FROM schema_migrations"), "2");
  EXPECT_EQ(db_.QueryScalar("SELECT COUNT(*) FROM t"), "1");
}

TEST_F(MigrationsTest, EditedAppliedMigrationIsRefused) {
  ASSERT_TRUE(ApplyMigrations(pool_, v1_).ok());
  auto edited = v1_;
  edited[0].sql += "-- sneaky edit\n";
  absl::Status status = ApplyMigrations(pool_, edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("migration 0001_init.sql was edited after it was applied"),
            std::string::npos)
      << status;
}

TEST_F(MigrationsTest, UnknownAppliedMigrationIsRefused) {
  ASSERT_TRUE(ApplyMigrations(pool_, v1_).ok());
  absl::Status status = ApplyMigrations(pool_, {v1_[0]});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("does not know"), std::string::npos) << status;
}

}  // namespace
}  // namespace gt
