// The controller's issuer: permits a core accepts, one permit per burn (across restarts),
// the burn check, and key release by policy.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "pactum/compute/acceptor.hpp"
#include "pactum/compute/issuer.hpp"

namespace pactum::compute {
namespace {

struct TempDir {
  std::string path;
  explicit TempDir(const std::string& name)
      : path((std::filesystem::temp_directory_path() / ("pactum_issuer_" + name + "_" + std::to_string(::getpid())))
                 .string()) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const PublicKey kCore = dev_secret_key(1).public_key();
const Hash32 kBurn = sha256(as_bytes("burn 1"));

// These tests are about the ledger and the chains: every burn passes (burn_proof_test.cpp
// checks burns).
Result<void> any_burn(const BurnClaim&) { return {}; }

Issuer open_issuer(const std::string& ledger, BurnCheck check = any_burn) {
  auto issuer = Issuer::open(dev_secret_key(9), ledger, std::move(check));
  EXPECT_TRUE(issuer.ok()) << issuer.error().message;
  return std::move(issuer).value();
}

TEST(Issuer, IssuesAPermitWhoseKeysTheCoreAccepts) {
  TempDir dir("flow");
  Issuer issuer = open_issuer(dir.path + "/ledger.jsonl");
  const auto permit = issuer.issue(kCore, kBurn, 300, 40, 30);
  ASSERT_TRUE(permit.ok()) << permit.error().message;
  auto acceptor = KeyAcceptor::open(*permit, issuer.controller(), kCore, 1, dir.path + "/state.json");
  ASSERT_TRUE(acceptor.ok()) << acceptor.error().message;
  auto chain = issuer.chain_for(kBurn);
  ASSERT_TRUE(chain.ok());
  KeyRelease release(std::move(*chain), 0);
  std::uint64_t units = 0;
  for (const Hash32& key : release.due(0)) units += acceptor->accept(permit->digest(), key, 1)->units;
  EXPECT_TRUE(release.done());
  EXPECT_EQ(units, 300u);
}

TEST(Issuer, NeverIssuesTwiceForOneBurnEvenAfterARestart) {
  TempDir dir("twice");
  const std::string ledger = dir.path + "/ledger.jsonl";
  Hash32 anchor;
  {
    Issuer issuer = open_issuer(ledger);
    const auto first = issuer.issue(kCore, kBurn, 10, 40, 10);
    ASSERT_TRUE(first.ok());
    anchor = first->anchor;
    const auto again = issuer.issue(kCore, kBurn, 10, 40, 10);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::duplicate);
  }
  Issuer restarted = open_issuer(ledger);
  ASSERT_EQ(restarted.issued().size(), 1u);
  const auto again = restarted.issue(dev_secret_key(2).public_key(), kBurn, 10, 40, 10);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::duplicate);
  EXPECT_EQ(again.error().field, "burn_id");
  // The restarted controller rebuilds the same chain from its key.
  EXPECT_EQ(restarted.chain_for(kBurn)->anchor(), anchor);
}

TEST(Issuer, IgnoresATornLastLedgerLine) {
  TempDir dir("torn");
  const std::string ledger = dir.path + "/ledger.jsonl";
  {
    Issuer issuer = open_issuer(ledger);
    ASSERT_TRUE(issuer.issue(kCore, kBurn, 10, 40, 10).ok());
  }
  {
    std::ofstream out(ledger, std::ios::app);
    out << "{\"version\":1,\"contr";  // a crash in the middle of an append
  }
  EXPECT_EQ(open_issuer(ledger).issued().size(), 1u);
}

TEST(Issuer, RefusesWhatTheBurnCheckRefuses) {
  TempDir dir("check");
  Issuer issuer = open_issuer(dir.path + "/ledger.jsonl", [](const BurnClaim&) {
    return Result<void>(make_error(Errc::not_found, "burn_id: no such burn", "burn_id"));
  });
  const auto r = issuer.issue(kCore, kBurn, 10, 40, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_found);
  EXPECT_TRUE(issuer.issued().empty());
  EXPECT_FALSE(std::filesystem::exists(dir.path + "/ledger.jsonl"));
}

TEST(Issuer, RefusesLengthsOutOfRange) {
  TempDir dir("range");
  Issuer issuer = open_issuer(dir.path + "/ledger.jsonl");
  EXPECT_EQ(issuer.issue(kCore, kBurn, 10, 40, 0).error().field, "length");
  EXPECT_EQ(issuer.issue(kCore, kBurn, 10, 40, 11).error().field, "units");
}

TEST(KeyRelease, StreamsAtTheConfiguredRate) {
  KeyRelease release(ChainTraverser(sha256(as_bytes("s")), 100), 10);  // 10 keys per second
  EXPECT_EQ(release.due(0).size(), 0u);
  EXPECT_EQ(release.due(250).size(), 2u);
  EXPECT_EQ(release.due(1000).size(), 8u);
  EXPECT_EQ(release.due(1000).size(), 0u);
  EXPECT_EQ(release.due(60'000).size(), 90u);
  EXPECT_TRUE(release.done());
}

TEST(KeyRelease, NewestDueStandsForEveryKeyBeforeIt) {
  const Hash32 seed = sha256(as_bytes("s"));
  const std::vector<Hash32> naive = naive_chain(seed, 10);
  KeyRelease release(ChainTraverser(seed, 10), 0);
  EXPECT_EQ(release.newest_due(0, 4), naive[6]);  // w_9, w_8, w_7, w_6 released: w_6 is the newest
  EXPECT_FALSE(release.newest_due(0, 4).has_value());
  EXPECT_EQ(release.newest_due(0), naive[0]);
  EXPECT_TRUE(release.done());
}

}  // namespace
}  // namespace pactum::compute
