// Service tests of the directorate table: the real plan-service over a real
// MariaDB database.
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "gt/directorates.h"
#include "plan_service_fixture.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using grpc::StatusCode;
using ::testing::HasSubstr;

class DirectorateApiTest : public PlanServiceTest {
 protected:
  void SetUp() override {
    EnsureOrganisation("dir");
    EnsureOrganisation("dir-other");
  }

  static v1::Directorate Make(const std::string& code, const std::string& display_name,
                              const std::vector<std::string>& aliases) {
    v1::Directorate d;
    d.set_code(code);
    d.set_display_name(display_name);
    for (const auto& alias : aliases) {
      d.add_aliases(alias);
    }
    return d;
  }

  grpc::Status Create(const std::string& org, const std::string& id, const v1::Directorate& d,
                      v1::Directorate* out = nullptr) {
    v1::CreateDirectorateRequest request;
    request.set_parent("organisations/" + org);
    request.set_directorate_id(id);
    *request.mutable_directorate() = d;
    v1::Directorate ignored;
    return Stub()->CreateDirectorate(As(org).get(), request, out != nullptr ? out : &ignored);
  }

  grpc::Status Get(const std::string& org, const std::string& id, v1::Directorate* out) {
    v1::GetDirectorateRequest request;
    request.set_name(absl::StrCat("organisations/", org, "/directorates/", id));
    return Stub()->GetDirectorate(As(org).get(), request, out);
  }

  std::vector<v1::Directorate> ListAll(const std::string& org, int page_size) {
    std::vector<v1::Directorate> all;
    v1::ListDirectoratesRequest request;
    request.set_parent("organisations/" + org);
    request.set_page_size(page_size);
    while (true) {
      v1::ListDirectoratesResponse page;
      grpc::Status s = Stub()->ListDirectorates(As(org).get(), request, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) {
        return all;
      }
      EXPECT_LE(page.directorates_size(), page_size);
      all.insert(all.end(), page.directorates().begin(), page.directorates().end());
      if (page.next_page_token().empty()) {
        return all;
      }
      request.set_page_token(page.next_page_token());
    }
  }
};

TEST_F(DirectorateApiTest, CrudWithEtagAndMask) {
  v1::Directorate created;
  ASSERT_TRUE(Create("dir", "csf",
                     Make("CSF", "Children, Schools and Families", {"CS&F", "Childrens"}), &created)
                  .ok());
  EXPECT_EQ(created.name(), "organisations/dir/directorates/csf");
  EXPECT_EQ(created.code(), "CSF");
  EXPECT_EQ(created.aliases().size(), 2);
  EXPECT_FALSE(created.etag().empty());
  v1::Directorate got;
  ASSERT_TRUE(Get("dir", "csf", &got).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(created, got));

  // Only the masked field changes; a stale etag is refused.
  v1::UpdateDirectorateRequest update;
  *update.mutable_directorate() = Make("IGNORED", "Children's Services", {});
  update.mutable_directorate()->set_name(created.name());
  update.mutable_directorate()->set_etag(created.etag());
  update.mutable_update_mask()->add_paths("display_name");
  v1::Directorate updated;
  ASSERT_TRUE(Stub()->UpdateDirectorate(As("dir").get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Children's Services");
  EXPECT_EQ(updated.code(), "CSF");
  EXPECT_EQ(updated.aliases(0), "CS&F");
  EXPECT_NE(updated.etag(), created.etag());
  grpc::Status stale = Stub()->UpdateDirectorate(As("dir").get(), update, &updated);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED);
  EXPECT_THAT(stale.error_message(), HasSubstr("directorate.etag"));

  // Aliases are replaced whole: the dropped one is free for another.
  update.mutable_directorate()->set_etag(updated.etag());
  update.mutable_directorate()->add_aliases("CS & F Dept");
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("aliases");
  ASSERT_TRUE(Stub()->UpdateDirectorate(As("dir").get(), update, &updated).ok());
  ASSERT_EQ(updated.aliases_size(), 1);
  EXPECT_TRUE(Create("dir", "kids", Make("KIDS", "Kids", {"Childrens"})).ok());

  v1::DeleteDirectorateRequest del;
  del.set_name(created.name());
  del.set_etag(created.etag());
  google::protobuf::Empty empty;
  EXPECT_EQ(Stub()->DeleteDirectorate(As("dir").get(), del, &empty).error_code(),
            StatusCode::ABORTED);
  del.set_etag(updated.etag());
  ASSERT_TRUE(Stub()->DeleteDirectorate(As("dir").get(), del, &empty).ok());
  grpc::Status gone = Get("dir", "csf", &got);
  EXPECT_EQ(gone.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(gone.error_message(), "directorate organisations/dir/directorates/csf not found");
  // Its spellings went with it.
  EXPECT_TRUE(Create("dir", "csf2", Make("CSF", "Again", {"CS&F"})).ok());
}

TEST_F(DirectorateApiTest, ASpellingBelongsToOneDirectoratePerOrganisation) {
  ASSERT_TRUE(Create("dir", "resources", Make("Resources", "Resources", {"Resource"})).ok());
  // An alias another directorate holds, however it is spaced or cased.
  grpc::Status taken = Create("dir", "res", Make("RES", "Res", {"Finance", " resource"}));
  EXPECT_EQ(taken.error_code(), StatusCode::INVALID_ARGUMENT);  // leading space: not a key
  taken = Create("dir", "res", Make("RES", "Res", {"Finance", "RESOURCE"}));
  EXPECT_EQ(taken.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(taken.error_message(),
              HasSubstr("directorate.aliases[1]: 'RESOURCE' already means directorate "
                        "organisations/dir/directorates/resources"));
  // A code that is another's alias.
  taken = Create("dir", "res", Make("resource", "Res", {}));
  EXPECT_EQ(taken.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(taken.error_message(), HasSubstr("directorate.code: 'resource' already means"));
  // Nothing of the refused ones was written ("Finance" is still free).
  v1::Directorate got;
  EXPECT_EQ(Get("dir", "res", &got).error_code(), StatusCode::NOT_FOUND);
  EXPECT_TRUE(Create("dir", "finance", Make("FIN", "Finance", {"Finance"})).ok());
  // Another organisation has a table of its own.
  EXPECT_TRUE(Create("dir-other", "resources", Make("Resources", "Resources", {"Resource"})).ok());
  // Within one directorate, an alias the same as the code or another alias.
  grpc::Status twice = Create("dir", "dr", Make("D&R", "D and R", {"d & r"}));
  EXPECT_EQ(twice.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(twice.error_message(),
              HasSubstr("directorate.aliases[0]: 'd & r' is the same spelling as code"));
}

TEST_F(DirectorateApiTest, BadInputNamesTheFieldAndRuleAndWritesNothing) {
  struct Case {
    std::string id;
    v1::Directorate directorate;
    std::string message;
  };
  const Case cases[] = {
      {"Bad_Id", Make("X", "X", {}), "directorate_id: "},
      {"x1", Make("", "X", {}), "directorate.code: must not be empty"},
      {"x2", Make("PLACE/HAC", "X", {}), "directorate.code: must not contain '/'"},
      {"x3", Make("X ", "X", {}), "directorate.code: must not start or end with a space"},
      {"x4", Make(std::string(33, 'X'), "X", {}), "directorate.code: "},
      {"x5", Make("X", "", {}), "directorate.display_name: must not be empty"},
      {"x6", Make("X", "X", {"A/B"}), "directorate.aliases[0]: must not contain '/'"},
      {"x7", Make("X", "X", {"A", ""}), "directorate.aliases[1]: must not be empty"},
      {"x8", Make("X", "X", {"A", "b", "a"}), "directorate.aliases[2]: 'a' is the same spelling"},
      {"x9", Make("X", "X", {"line\nbreak"}), "directorate.aliases[0]: must not contain control"},
  };
  for (const Case& c : cases) {
    grpc::Status s = Create("dir", c.id, c.directorate);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << c.message;
    EXPECT_THAT(s.error_message(), HasSubstr(c.message));
  }
  v1::ListDirectoratesRequest list;
  list.set_parent("organisations/dir");
  list.set_page_size(-1);
  v1::ListDirectoratesResponse page;
  grpc::Status negative = Stub()->ListDirectorates(As("dir").get(), list, &page);
  EXPECT_EQ(negative.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(negative.error_message(), HasSubstr("page_size"));
  for (const auto& d : ListAll("dir", 1000)) {
    EXPECT_NE(d.code(), "X");
  }
  // An update that would break a rule, or names an unknown field.
  v1::Directorate created;
  ASSERT_TRUE(Create("dir", "place", Make("PLACE", "Place", {}), &created).ok());
  v1::UpdateDirectorateRequest update;
  *update.mutable_directorate() = created;
  update.mutable_directorate()->set_code("PLACE/HAC");
  v1::Directorate out;
  grpc::Status bad = Stub()->UpdateDirectorate(As("dir").get(), update, &out);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("directorate.code: must not contain '/'"));
  update.mutable_update_mask()->add_paths("name");
  bad = Stub()->UpdateDirectorate(As("dir").get(), update, &out);
  EXPECT_THAT(bad.error_message(),
              HasSubstr("update_mask.paths[0]: 'name' is not an updatable field of Directorate"));
  ASSERT_TRUE(Get("dir", "place", &out).ok());
  EXPECT_EQ(out.etag(), created.etag());
}

TEST_F(DirectorateApiTest, AnotherOrganisationsDirectorateIsNotFoundLikeAMissingOne) {
  ASSERT_TRUE(Create("dir", "hac", Make("HAC", "Housing", {})).ok());
  v1::GetDirectorateRequest get;
  get.set_name("organisations/dir/directorates/hac");
  v1::Directorate out;
  grpc::Status foreign = Stub()->GetDirectorate(As("dir-other").get(), get, &out);
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), "directorate organisations/dir/directorates/hac not found");
  v1::DeleteDirectorateRequest del;
  del.set_name(get.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(Stub()->DeleteDirectorate(As("dir-other").get(), del, &empty).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_TRUE(Get("dir", "hac", &out).ok());
  v1::ListDirectoratesRequest list;
  list.set_parent("organisations/dir");
  v1::ListDirectoratesResponse page;
  EXPECT_EQ(Stub()->ListDirectorates(As("dir-other").get(), list, &page).error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(DirectorateApiTest, CreateIsIdempotentByRequestId) {
  v1::CreateDirectorateRequest request;
  request.set_parent("organisations/dir");
  request.set_directorate_id("idem");
  *request.mutable_directorate() = Make("IDEM", "Idem", {"Idempotent"});
  request.set_request_id("dir-req-1");
  v1::Directorate first;
  v1::Directorate again;
  ASSERT_TRUE(Stub()->CreateDirectorate(As("dir").get(), request, &first).ok());
  ASSERT_TRUE(Stub()->CreateDirectorate(As("dir").get(), request, &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, again));
  request.mutable_directorate()->set_display_name("Different");
  EXPECT_EQ(Stub()->CreateDirectorate(As("dir").get(), request, &again).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(DirectorateApiTest, ListPagesThroughEveryOneOnceAndNormalisesJointLeads) {
  EnsureOrganisation("dir-list");
  const std::vector<std::pair<std::string, v1::Directorate>> table = {
      {"place", Make("PLACE", "Place", {})},
      {"hac", Make("HAC", "Health, Adults and Community", {"H&AC"})},
      {"csf", Make("CSF", "Children's", {"CS&F"})},
      {"resources", Make("Resources", "Resources", {"Resource"})},
      {"d-r", Make("D&R", "Development and Renewal", {})},
  };
  for (const auto& [id, d] : table) {
    ASSERT_TRUE(Create("dir-list", id, d).ok()) << id;
  }
  std::vector<v1::Directorate> all = ListAll("dir-list", 2);
  ASSERT_EQ(all.size(), 5u);
  std::vector<std::string> ids;
  for (const auto& d : all) {
    ids.push_back(d.name().substr(d.name().rfind('/') + 1));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"csf", "d-r", "hac", "place", "resources"}));
  // What clients do with the answer (gtctl import, report-service).
  DirectorateTable directorates(all);
  EXPECT_EQ(NormaliseDirectorate("HAC/PLACE", directorates), "HAC/PLACE");
  EXPECT_EQ(NormaliseDirectorate("PLACE / h & ac", directorates), "HAC/PLACE");
  EXPECT_EQ(NormaliseDirectorate("cs & f", directorates), "CSF");
  EXPECT_EQ(NormaliseDirectorate("Resource", directorates), "Resources");
  EXPECT_EQ(NormaliseDirectorate(" Legal ", directorates), "Legal");
}

}  // namespace
}  // namespace gt::plan
