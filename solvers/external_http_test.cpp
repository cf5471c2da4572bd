// http_solver() against the Python reference solver (solvers/reference), run as a
// subprocess on a free loopback port: a normal answer, garbage, a rule-breaking but
// well-formed proposal, a late one, and nobody listening. The Python tests are skipped
// (GTEST_SKIP, saying why) only when no python3 with PuLP is installed.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/solvers/external.hpp"
#include "reference_solver.hpp"

namespace pactum::solvers {
namespace {

using namespace std::chrono_literals;
using testing_support::python_with_pulp;
using testing_support::ReferenceSolver;

Hash32 id_of(std::uint8_t b) {
  Hash32 h;
  h.bytes.fill(b);
  return h;
}

// Two opposite partial swaps on BTC/USD (no pool): the solver can cross them.
// 2 BTC offered for at least 90,000 USD; 120,000 USD offered for at least 2 BTC.
Instance crossing_instance() {
  Instance in;
  in.chain_id = "pactum-test";
  in.height = 1;
  in.assets = {{"BTC", 8}, {"USD", 6}};
  in.swaps = {{id_of(1), "BTC", "USD", SwapSide::sell, 200000000, 90000000000, true},
              {id_of(2), "USD", "BTC", SwapSide::sell, 120000000000, 200000000, true}};
  return in;
}

Answer ask(Solver& solver, const Instance& in, std::chrono::milliseconds budget) {
  const State state;  // external solvers see only the instance
  return solver.solve(in, state, {}, BlockContext{}, Clock::now() + budget);
}

class ExternalHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    python_ = python_with_pulp();
    if (python_.empty()) GTEST_SKIP() << "no python3 with PuLP (apt-get install python3-pulp coinor-cbc)";
  }
  std::string python_;
};

TEST_F(ExternalHttp, NormalAnswerIsParsedIntoAClearing) {
  ReferenceSolver ref(python_, {});
  ASSERT_NE(ref.port(), 0);
  auto solver = http_solver(ref.url());
  EXPECT_EQ(solver->name(), ref.url());
  const Answer a = ask(*solver, crossing_instance(), 10s);
  ASSERT_TRUE(a.clearing) << a.failure.status << ": " << a.failure.detail;
  // Both swaps fill (one in full, the other at least in part) at one BTC/USD price
  // between the two limits, and every unit is accounted for: what one sells the other buys.
  ASSERT_EQ(a.clearing->fills.size(), 2u);
  ASSERT_EQ(a.clearing->prices.size(), 1u);
  const Price& p = a.clearing->prices[0];
  EXPECT_EQ(p.base, "BTC");
  EXPECT_GE(p.num * 2, p.den * 900);   // >= 450 USD base units per BTC base unit
  EXPECT_LE(p.num * 2, p.den * 1200);  // <= 600
  const Fill& sells_btc = a.clearing->fills[0];
  const Fill& sells_usd = a.clearing->fills[1];
  EXPECT_GE(sells_btc.sold, sells_usd.bought);
  EXPECT_GE(sells_usd.sold, sells_btc.bought);
  EXPECT_TRUE(a.clearing->pools.empty());
}

TEST_F(ExternalHttp, GarbageIsMalformed) {
  ReferenceSolver ref(python_, {"--mode", "garbage"});
  ASSERT_NE(ref.port(), 0);
  const Answer a = ask(*http_solver(ref.url()), crossing_instance(), 5s);
  EXPECT_FALSE(a.clearing);
  EXPECT_EQ(a.failure.status, "malformed");
  EXPECT_NE(a.failure.detail.find("not JSON"), std::string::npos) << a.failure.detail;
}

TEST_F(ExternalHttp, RuleBreakingProposalIsStillWellFormed) {
  // Shape is this file's business; the rules are the picker's: a proposal that fills a
  // swap with nobody on the other side parses, and the checker must refuse it later.
  ReferenceSolver ref(python_, {"--mode", "break-rule"});
  ASSERT_NE(ref.port(), 0);
  const Answer a = ask(*http_solver(ref.url()), crossing_instance(), 5s);
  ASSERT_TRUE(a.clearing) << a.failure.detail;
  ASSERT_EQ(a.clearing->fills.size(), 1u);
  EXPECT_EQ(a.clearing->fills[0], (Fill{id_of(1), 200000000, 90000000000}));
  EXPECT_TRUE(a.clearing->pools.empty());
}

TEST_F(ExternalHttp, SlowSolverIsLateAndTheCallReturnsByTheDeadline) {
  ReferenceSolver ref(python_, {"--delay-ms", "3000"});
  ASSERT_NE(ref.port(), 0);
  auto solver = http_solver(ref.url());
  const auto start = Clock::now();
  const Answer a = ask(*solver, crossing_instance(), 300ms);
  const auto took = Clock::now() - start;
  EXPECT_FALSE(a.clearing);
  EXPECT_EQ(a.failure.status, "late") << a.failure.detail;
  EXPECT_LT(took, 1500ms);  // the deadline, not the solver's 3 s (slack for a loaded or sanitized build)
  EXPECT_GE(took, 290ms);
}

TEST(ExternalHttpNoPython, NothingListeningIsUnreachable) {
  // A port that was free a moment ago: bind, read the port, close.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  const Answer a = ask(*http_solver(url), crossing_instance(), 2s);
  EXPECT_FALSE(a.clearing);
  EXPECT_EQ(a.failure.status, "unreachable") << a.failure.detail;
}

TEST(ExternalHttpNoPython, BadUrlOrPassedDeadlineFailWithoutTrying) {
  EXPECT_EQ(ask(*http_solver("https://127.0.0.1:1/"), crossing_instance(), 1s).failure.status, "unreachable");
  EXPECT_EQ(ask(*http_solver("http://127.0.0.1:99999/"), crossing_instance(), 1s).failure.status, "unreachable");
  EXPECT_EQ(ask(*http_solver("http://127.0.0.1:1/"), crossing_instance(), -1ms).failure.status, "late");
}

}  // namespace
}  // namespace pactum::solvers
