// External solvers over HTTP, the way CoW Protocol's solver API works: the producer POSTs
// the instance as JSON to the solver's URL and reads a proposal back as JSON, both
// specified in docs/PROTOCOL.md ("Solver API"). `pactum node --solver URL` registers one
// (the flag may be repeated).
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"
#include "pactum/solvers/solver.hpp"

namespace pactum::solvers {

// The instance as the Solver API sends it (docs/PROTOCOL.md): amounts decimal strings,
// ids hex, the deadline in milliseconds from the request.
nlohmann::json instance_to_json(const Instance& instance, std::uint64_t deadline_ms);

// A solver's reply as a Clearing: the price vector, fills and pool reserves it names,
// with the pair prices derived from the vector for every pair that traded. Any shape
// error is `invalid_params` naming the field. It is not checked against the rules here
// (the picker does that, as for every proposal).
Result<Clearing> proposal_from_json(const nlohmann::json& reply, const Instance& instance);

// A solver at `url` ("http://127.0.0.1:PORT/path"; plain HTTP, loopback or any host the
// operator names). Connect, write and read all end at the deadline: a solver that has
// not answered by then is "late"; one that refuses the connection is "unreachable"; a
// reply that is not a proposal is "malformed".
std::unique_ptr<Solver> http_solver(std::string url);

}  // namespace pactum::solvers
