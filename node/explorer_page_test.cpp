// The explorer page's Content-Security-Policy admits exactly its inline script and style,
// by the SHA-256 of node/explorer/'s files (computed here with OpenSSL, independently of
// the node's own hashing and base64).
#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "src/explorer_page.hpp"

namespace pactum {
namespace {

std::string explorer_file(const std::string& name) {
  const std::string path = std::string(PACTUM_SOURCE_DIR) + "/node/explorer/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string csp_source(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EXPECT_EQ(EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr), 1);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(b64, digest, static_cast<int>(size));
  return "'sha256-" + std::string(reinterpret_cast<const char*>(b64), n) + "'";
}

TEST(ExplorerPage, CspAdmitsTheFilesScriptAndStyleByHash) {
  const std::string script = explorer_file("lib.js") + explorer_file("compute.js") + explorer_file("pages.js");
  const std::string style = explorer_file("style.css");
  const ExplorerPage& page = explorer_page();
  EXPECT_NE(page.csp.find("script-src " + csp_source(script) + ";"), std::string::npos) << page.csp;
  EXPECT_NE(page.csp.find("style-src " + csp_source(style) + ";"), std::string::npos) << page.csp;
  EXPECT_NE(page.html.find("<script>" + script + "</script>"), std::string::npos);
  EXPECT_NE(page.html.find("<style>" + style + "</style>"), std::string::npos);
}

}  // namespace
}  // namespace pactum
