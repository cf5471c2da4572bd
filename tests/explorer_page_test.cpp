// The block explorer served on GET / is node/explorer/index.html as it is on disk, with
// style.css inlined as its <style> and lib.js, compute.js then pages.js as its one <script>
// (node/explorer/embed.cmake does that at build time).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "harness.hpp"

namespace pactum::testing {
namespace {

std::string explorer_file(const std::string& name) {
  const std::string path = std::string(PACTUM_SOURCE_DIR) + "/node/explorer/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void replace_once(std::string& text, const std::string& tag, const std::string& by) {
  const auto at = text.find(tag);
  ASSERT_NE(at, std::string::npos) << "index.html has no " << tag;
  text.replace(at, tag.size(), by);
}

TEST(Explorer, ServedPageIsTheFilesOnDisk) {
  std::string expected = explorer_file("index.html");
  replace_once(expected, R"(<link rel="stylesheet" href="style.css">)",
               "<style>" + explorer_file("style.css") + "</style>");
  replace_once(
      expected, R"(<script src="lib.js"></script><script src="compute.js"></script><script src="pages.js"></script>)",
      "<script>" + explorer_file("lib.js") + explorer_file("compute.js") + explorer_file("pages.js") + "</script>");

  TestNode t({"--block-time", "600000"});
  client::HttpClient http(t.node->url());
  const client::HttpResponse page = http.get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, expected) << "GET / differs from node/explorer/ (rebuild, or see embed.cmake)";
}

}  // namespace
}  // namespace pactum::testing
