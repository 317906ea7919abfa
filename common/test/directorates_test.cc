#include "gt/directorates.h"

#include <gtest/gtest.h>

namespace gt {
namespace {

goldenthread::v1::Directorate Directorate(const std::string& code,
                                          std::vector<std::string> aliases) {
  goldenthread::v1::Directorate d;
  d.set_code(code);
  for (auto& alias : aliases) {
    d.add_aliases(std::move(alias));
  }
  return d;
}

DirectorateTable CouncilTable() {
  return DirectorateTable(std::vector<goldenthread::v1::Directorate>{
      Directorate("CSF", {"CS&F", "Children's Services"}), Directorate("Resources", {"Resource"}),
      Directorate("PLACE", {}), Directorate("HAC", {}), Directorate("D&R", {})});
}

TEST(DirectorateMatchKey, IgnoresCaseAndSpacingAroundJoiners) {
  EXPECT_EQ(DirectorateMatchKey("cs & f"), "CS&F");
  EXPECT_EQ(DirectorateMatchKey("  CS&F "), "CS&F");
  EXPECT_EQ(DirectorateMatchKey("Place /  Hac"), "PLACE/HAC");
  EXPECT_EQ(DirectorateMatchKey("Children's   Services"), "CHILDREN'S SERVICES");
  EXPECT_EQ(DirectorateMatchKey(""), "");
  // Spacing is ignored only around joiners: "CS F" is not "CSF".
  EXPECT_NE(DirectorateMatchKey("CS F"), DirectorateMatchKey("CSF"));
}

TEST(NormaliseDirectorate, AliasesMapToTheCanonicalCode) {
  DirectorateTable table = CouncilTable();
  EXPECT_EQ(NormaliseDirectorate("CS&F", table), "CSF");
  EXPECT_EQ(NormaliseDirectorate("cs & f", table), "CSF");
  EXPECT_EQ(NormaliseDirectorate("CSF", table), "CSF");
  EXPECT_EQ(NormaliseDirectorate("csf", table), "CSF");
  EXPECT_EQ(NormaliseDirectorate("Resource", table), "Resources");
  EXPECT_EQ(NormaliseDirectorate("children's services", table), "CSF");
  EXPECT_EQ(NormaliseDirectorate("d & r", table), "D&R");
}

TEST(NormaliseDirectorate, JointLeadsAreSortedPartByPart) {
  DirectorateTable table = CouncilTable();
  EXPECT_EQ(NormaliseDirectorate("HAC/PLACE", table), "HAC/PLACE");
  EXPECT_EQ(NormaliseDirectorate("PLACE/HAC", table), "HAC/PLACE");
  EXPECT_EQ(NormaliseDirectorate(" place / hac ", table), "HAC/PLACE");
  EXPECT_EQ(NormaliseDirectorate("CS&F/Resource", table), "CSF/Resources");
  EXPECT_EQ(NormaliseDirectorate("Resource/CS & F/CSF", table), "CSF/Resources");
  // Each part still names its own directorate.
  EXPECT_EQ(NormaliseDirectorateParts("PLACE/CS&F", table),
            (std::vector<std::string>{"CSF", "PLACE"}));
  // An unknown part beside a known one is kept, trimmed, in order.
  EXPECT_EQ(NormaliseDirectorate("XYZ / PLACE", table), "PLACE/XYZ");
  EXPECT_EQ(NormaliseDirectorate("HAC/", table), "HAC");
}

TEST(NormaliseDirectorate, UnknownCodesPassThroughTrimmed) {
  DirectorateTable table = CouncilTable();
  EXPECT_EQ(NormaliseDirectorate("  XYZ ", table), "XYZ");
  EXPECT_EQ(NormaliseDirectorate("N/A", table), "N/A");
  EXPECT_EQ(NormaliseDirectorate("", table), "");
  EXPECT_EQ(NormaliseDirectorate("   ", table), "");
  DirectorateTable empty;
  EXPECT_EQ(NormaliseDirectorate(" CS&F ", empty), "CS&F");
  EXPECT_EQ(NormaliseDirectorate("PLACE/HAC", empty), "PLACE/HAC");
  EXPECT_EQ(empty.size(), 0u);
}

TEST(DirectorateTable, BuildsFromAListDirectoratesAnswer) {
  goldenthread::v1::ListDirectoratesResponse response;
  *response.add_directorates() = Directorate("CSF", {"CS&F"});
  DirectorateTable table(response.directorates());
  ASSERT_NE(table.Find("cs & f"), nullptr);
  EXPECT_EQ(*table.Find("cs & f"), "CSF");
  EXPECT_EQ(table.Find("PLACE"), nullptr);
}

}  // namespace
}  // namespace gt
