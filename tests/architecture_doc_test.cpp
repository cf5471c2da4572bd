// docs/ARCHITECTURE.md's module table names every public header of every module, and
// only those: the table cannot drift from the tree (issue 18).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

std::set<std::string> split_names(const std::string& cell) {
  std::set<std::string> out;
  std::stringstream ss(cell);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.insert(item.substr(b, e - b + 1));
  }
  return out;
}

TEST(ArchitectureDoc, ModuleTableListsExactlyThePublicHeaders) {
  const std::string root = PACTUM_SOURCE_DIR;
  std::ifstream doc(root + "/docs/ARCHITECTURE.md");
  ASSERT_TRUE(doc) << "docs/ARCHITECTURE.md";
  std::string line;
  int modules = 0;
  while (std::getline(doc, line)) {
    if (line.rfind("| ", 0) != 0) continue;
    // | module | headers | contract |
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) cells.push_back(cell);
    if (cells.size() < 3) continue;
    const std::string module = *split_names(cells[0]).begin();
    const std::filesystem::path dir = root + "/" + module + "/include/pactum/" + module;
    if (!std::filesystem::is_directory(dir)) continue;  // the header row, other tables
    ++modules;
    std::set<std::string> on_disk;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".hpp") on_disk.insert(e.path().stem().string());
    EXPECT_EQ(split_names(cells[1]), on_disk) << "module " << module << ": update docs/ARCHITECTURE.md";
  }
  EXPECT_EQ(modules, 12)
      << "intents, ledger, checker, matcher, solvers, analysis, node, studies, genesis, client, cli, compute";
}

}  // namespace
