// load_genesis (node.hpp): a genesis file that cannot be read or parsed is refused with a
// genesis_invalid error naming the file and the reason; a readable one loads.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pactum/genesis/devnet.hpp"
#include "pactum/node/node.hpp"

namespace pactum {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("pactum-load-genesis-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

void expect_refused(const std::string& file, const std::string& says) {
  auto g = load_genesis(file);
  ASSERT_FALSE(g.ok()) << file;
  EXPECT_EQ(g.error().code, Errc::genesis_invalid);
  EXPECT_NE(g.error().message.find(file), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(says), std::string::npos) << g.error().message;
}

TEST(LoadGenesis, UnreadableFilesAreRefusedNamingTheFile) {
  TempDir dir;
  expect_refused(dir.path.string(), "is a directory");
  expect_refused((dir.path / "missing.json").string(), "No such file");
  std::ofstream(dir.path / "empty.json");
  expect_refused((dir.path / "empty.json").string(), "not valid JSON");
}

TEST(LoadGenesis, AFileLoadsAsTheEmbeddedOne) {
  TempDir dir;
  const fs::path file = dir.path / "devnet.json";
  std::ofstream(file) << devnet_genesis_json();
  auto from_file = load_genesis(file.string());
  auto embedded = load_genesis(std::nullopt);
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  ASSERT_TRUE(embedded.ok()) << embedded.error().message;
  EXPECT_EQ(from_file->chain_id, embedded->chain_id);
  EXPECT_EQ(from_file->accounts.size(), embedded->accounts.size());
}

}  // namespace
}  // namespace pactum
