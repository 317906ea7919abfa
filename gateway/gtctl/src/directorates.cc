// gtctl directorates list|set|delete: the organisation's directorate table,
// by which importers and reports treat "CS&F" and "CSF" as one directorate.
#include "gt/directorates.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

// The directorate CODE (or id) names, compared as the table compares codes;
// nullptr when none.
const v1::Directorate* FindByCode(const std::vector<v1::Directorate>& all,
                                  const std::string& code) {
  const std::string key = DirectorateMatchKey(code);
  for (const auto& d : all) {
    if (DirectorateMatchKey(d.code()) == key || LastSegment(d.name()) == code) {
      return &d;
    }
  }
  return nullptr;
}

// A resource id from a code: "D&R" -> "d-r", "CSF" -> "csf".
std::string IdFor(const std::string& code) {
  std::string id;
  for (char c : code) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      id.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!id.empty() && id.back() != '-') {
      id.push_back('-');
    }
  }
  while (!id.empty() && id.back() == '-') {
    id.pop_back();
  }
  return id.substr(0, 63);
}

void Print(const Args& args, const std::vector<v1::Directorate>& directorates) {
  if (JsonOutput(args)) {
    v1::ListDirectoratesResponse all;
    for (const auto& d : directorates) {
      *all.add_directorates() = d;
    }
    std::cout << ToJson(all);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : directorates) {
    rows.push_back({LastSegment(d.name()), d.code(), Truncate(d.display_name(), 40),
                    absl::StrJoin(d.aliases(), ", ")});
  }
  PrintTable({"ID", "CODE", "NAME", "ALIASES"}, rows);
}

}  // namespace

int DirectoratesList(const Args& args) {
  Client client(args);
  Print(args, AllDirectorates(client));
  return kOk;
}

int DirectoratesSet(const Args& args) {
  const std::string& code = args.positional[0];
  const std::vector<std::string> aliases = args.GetAll("alias");
  Client client(args);
  const std::vector<v1::Directorate> all = AllDirectorates(client);
  const v1::Directorate* existing = FindByCode(all, code);
  v1::Directorate result;
  if (existing == nullptr) {
    if (!args.Has("name")) {
      throw UsageError{absl::StrCat("--name is required to create directorate ", code)};
    }
    v1::CreateDirectorateRequest request;
    request.set_parent(client.OrgName());
    request.set_directorate_id(args.Get("id", IdFor(code)));
    request.mutable_directorate()->set_code(code);
    request.mutable_directorate()->set_display_name(args.Get("name"));
    for (const auto& alias : aliases) {
      request.mutable_directorate()->add_aliases(alias);
    }
    request.set_request_id(RandomId());
    Check(client.Call([&](grpc::ClientContext* c) {
      return client.plans->CreateDirectorate(c, request, &result);
    }));
  } else {
    // The code as given becomes the canonical spelling; the name and the
    // aliases change only when given (aliases are replaced whole).
    v1::UpdateDirectorateRequest request;
    v1::Directorate* d = request.mutable_directorate();
    d->set_name(existing->name());
    d->set_etag(existing->etag());
    d->set_code(code);
    request.mutable_update_mask()->add_paths("code");
    if (args.Has("name")) {
      d->set_display_name(args.Get("name"));
      request.mutable_update_mask()->add_paths("display_name");
    }
    if (!aliases.empty()) {
      for (const auto& alias : aliases) {
        d->add_aliases(alias);
      }
      request.mutable_update_mask()->add_paths("aliases");
    }
    // An etag makes a resend after an unknown outcome refused, never doubled.
    Check(client.Call([&](grpc::ClientContext* c) {
      return client.plans->UpdateDirectorate(c, request, &result);
    }));
  }
  Print(args, {result});
  return kOk;
}

int DirectoratesDelete(const Args& args) {
  Client client(args);
  const std::vector<v1::Directorate> all = AllDirectorates(client);
  const v1::Directorate* existing = FindByCode(all, args.positional[0]);
  if (existing == nullptr) {
    std::cerr << "error: NOT_FOUND: no directorate with code " << args.positional[0] << " in "
              << client.OrgName() << "\n";
    return kRefused;
  }
  v1::DeleteDirectorateRequest request;
  request.set_name(existing->name());
  request.set_etag(existing->etag());
  google::protobuf::Empty empty;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.plans->DeleteDirectorate(c, request, &empty); }));
  std::cerr << "deleted " << existing->name() << " (" << existing->code() << ")\n";
  return kOk;
}

std::vector<v1::Directorate> AllDirectorates(const Client& client) {
  v1::ListDirectoratesRequest request;
  request.set_parent(client.OrgName());
  request.set_page_size(1000);
  std::vector<v1::Directorate> all;
  EachPage<v1::ListDirectoratesResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.plans->ListDirectorates(c, r, page);
      },
      [&](v1::ListDirectoratesResponse& page) {
        for (auto& d : *page.mutable_directorates()) {
          all.push_back(std::move(d));
        }
      });
  return all;
}

}  // namespace gt::gtctl
