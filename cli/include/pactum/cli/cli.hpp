// The `pactum` command line: `run` dispatches a subcommand (argv[0] excluded) and returns
// the process exit code. Subcommands throw on bad usage or failure (UsageError from
// args.hpp, client::TransportError, client::RpcError, std::runtime_error); main.cpp
// prints "error: ..." and exits 1.
#pragma once
#include <string>
#include <vector>

namespace pactum::cli {

int run(const std::vector<std::string>& args);

}  // namespace pactum::cli
