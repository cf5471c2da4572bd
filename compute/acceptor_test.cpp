// The core's key acceptor: in order, skipping ahead, every refusal, and durability across
// a restart (and a SIGKILL in the middle of a stream).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include "pactum/compute/acceptor.hpp"
#include "pactum/compute/hash_chain.hpp"

namespace pactum::compute {
namespace {

struct Fixture {
  SecretKey controller = dev_secret_key(9);
  PublicKey core = dev_secret_key(1).public_key();
  std::vector<Hash32> chain;  // w_0..w_L
  Permit permit;
  std::string dir;

  Fixture(std::uint64_t length, std::uint64_t units, const std::string& name) {
    chain = naive_chain(sha256(as_bytes("seed " + name)), length);
    permit.core = core;
    permit.burn_id = sha256(as_bytes("burn " + name));
    permit.permit_id = sha256(as_bytes("permit " + name));
    permit.units = units;
    permit.expiry_height = 100;
    permit.length = length;
    permit.anchor = chain.back();
    permit = sign_permit(permit, controller);
    dir = (std::filesystem::temp_directory_path() / ("pactum_acceptor_" + name + "_" + std::to_string(::getpid())))
              .string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  std::string state() const { return dir + "/state.json"; }
  KeyAcceptor open() const {
    auto a = KeyAcceptor::open(permit, controller.public_key(), core, 1, state());
    EXPECT_TRUE(a.ok()) << a.error().message;
    return std::move(a).value();
  }
  // The i-th key released (0: w_{L-1}).
  const Hash32& released(std::uint64_t i) const { return chain[permit.length - 1 - i]; }
};

TEST(KeyAcceptor, AcceptsKeysInOrderAndUnlocksUnitsPerKey) {
  Fixture f(4, 100, "order");
  KeyAcceptor a = f.open();
  for (std::uint64_t i = 0; i < 4; ++i) {
    const auto r = a.accept(a.permit_digest(), f.released(i), 1);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->keys, 1u);
    EXPECT_EQ(r->units, 25u);
    EXPECT_EQ(r->accepted_total, i + 1);
  }
  EXPECT_EQ(a.units_unlocked(), 100u);
  EXPECT_EQ(a.keys_left(), 0u);
}

TEST(KeyAcceptor, SkipsAheadWhenKeysWereMissed) {
  Fixture f(10, 10, "skip");
  KeyAcceptor a = f.open();
  const auto r = a.accept(a.permit_digest(), f.released(3), 1);  // w_6: four hashes up to the anchor
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys, 4u);
  EXPECT_EQ(r->units, 4u);
  const auto last = a.accept(a.permit_digest(), f.chain[0], 1);  // the seed: the last key
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->keys, 6u);
  EXPECT_EQ(a.units_unlocked(), 10u);
}

TEST(KeyAcceptor, RefusesReplayedAndOlderKeys) {
  Fixture f(8, 80, "replay");
  KeyAcceptor a = f.open();
  ASSERT_TRUE(a.accept(a.permit_digest(), f.released(0), 1).ok());
  ASSERT_TRUE(a.accept(a.permit_digest(), f.released(2), 1).ok());
  for (const Hash32& old : {f.released(2), f.released(1), f.released(0), f.permit.anchor}) {
    const auto r = a.accept(a.permit_digest(), old, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::key_replayed);
  }
  EXPECT_EQ(a.accepted(), 3u);
  EXPECT_EQ(a.units_unlocked(), 30u);
}

TEST(KeyAcceptor, RefusesAKeyOfAnotherChainOrPermit) {
  Fixture f(8, 80, "foreign");
  Fixture other(8, 80, "other");
  KeyAcceptor a = f.open();
  const auto foreign = a.accept(a.permit_digest(), other.released(0), 1);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, Errc::key_invalid);
  EXPECT_EQ(foreign.error().field, "key");
  const auto wrong_permit = a.accept(other.permit.digest(), f.released(0), 1);
  ASSERT_FALSE(wrong_permit.ok());
  EXPECT_EQ(wrong_permit.error().code, Errc::key_invalid);
  EXPECT_EQ(wrong_permit.error().field, "permit_id");
  EXPECT_EQ(a.accepted(), 0u);
  EXPECT_FALSE(std::filesystem::exists(f.state()));  // nothing accepted, nothing written
}

TEST(KeyAcceptor, RefusesKeysOnceThePermitExpired) {
  Fixture f(4, 4, "expired");
  KeyAcceptor a = f.open();
  const auto r = a.accept(a.permit_digest(), f.released(0), 101);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::expired);
  EXPECT_EQ(a.accepted(), 0u);
  const auto reopened = KeyAcceptor::open(f.permit, f.controller.public_key(), f.core, 101, f.state());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, Errc::expired);
}

TEST(KeyAcceptor, RefusesAnotherCoresPermit) {
  Fixture f(4, 4, "core");
  const auto r = KeyAcceptor::open(f.permit, f.controller.public_key(), dev_secret_key(2).public_key(), 1, f.state());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::wrong_core);
}

TEST(KeyAcceptor, ARestartedAcceptorRefusesEveryKeyAlreadyAccepted) {
  Fixture f(16, 160, "restart");
  {
    KeyAcceptor a = f.open();
    for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(a.accept(a.permit_digest(), f.released(i), 1).ok());
  }  // the process "crashes": only the state file survives
  KeyAcceptor b = f.open();
  EXPECT_EQ(b.accepted(), 5u);
  EXPECT_EQ(b.units_unlocked(), 50u);
  for (std::uint64_t i = 0; i < 5; ++i) {
    const auto r = b.accept(b.permit_digest(), f.released(i), 1);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().code, Errc::key_replayed);
  }
  EXPECT_TRUE(b.accept(b.permit_digest(), f.released(5), 1).ok());
}

TEST(KeyAcceptor, StateOfAnotherPermitIsRefused) {
  Fixture f(4, 4, "mixup");
  Fixture other(4, 4, "mixup2");
  {
    KeyAcceptor a = f.open();
    ASSERT_TRUE(a.accept(a.permit_digest(), f.released(0), 1).ok());
  }
  const auto r = KeyAcceptor::open(other.permit, f.controller.public_key(), f.core, 1, f.state());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_params);
}

// A child process accepts keys and reports each grant through a pipe; it is killed with
// SIGKILL in the middle of the stream. Every key it was granted units for is refused by
// the acceptor reopened from the file, and no more units are unlocked than were granted
// plus at most the key in flight.
TEST(KeyAcceptor, SigkillInTheMiddleOfAStreamAcceptsNoKeyTwice) {
  Fixture f(2000, 2000, "sigkill");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto a = KeyAcceptor::open(f.permit, f.controller.public_key(), f.core, 1, f.state());
    for (std::uint64_t i = 0; a.ok() && i < 2000; ++i) {
      if (!a->accept(a->permit_digest(), f.released(i), 1).ok()) break;
      const std::uint64_t granted = i + 1;
      if (::write(fds[1], &granted, sizeof granted) != sizeof granted) break;
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::uint64_t granted = 0, value = 0;
  while (granted < 50 && ::read(fds[0], &value, sizeof value) == sizeof value) granted = value;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  while (::read(fds[0], &value, sizeof value) == sizeof value) granted = value;  // reports already sent
  ::close(fds[0]);
  ASSERT_GE(granted, 50u);
  KeyAcceptor b = f.open();
  EXPECT_GE(b.accepted(), granted);
  EXPECT_LE(b.accepted(), granted + 1);  // the key whose grant the kill cut off
  for (std::uint64_t i = 0; i < b.accepted(); ++i)
    ASSERT_EQ(b.accept(b.permit_digest(), f.released(i), 1).error().code, Errc::key_replayed) << i;
}

}  // namespace
}  // namespace pactum::compute
