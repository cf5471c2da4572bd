// The `pactum` subcommands, one function each, dispatched by run() (cli.cpp). Each takes
// the arguments after its name and returns the process exit code; failures throw (cli.hpp).
#pragma once
#include <string>
#include <vector>

namespace pactum::cli {

int cmd_node(const std::vector<std::string>& args);  // cli_node.cpp
int cmd_replay(const std::vector<std::string>& args);
int cmd_keys(const std::vector<std::string>& args);    // cli_keys.cpp
int cmd_sign(const std::vector<std::string>& args);    // cli_sign.cpp
int cmd_cosign(const std::vector<std::string>& args);  // cli_bundle.cpp
int cmd_simulate(const std::vector<std::string>& args);
int cmd_room(const std::vector<std::string>& args);  // cli_room.cpp
int cmd_contract(const std::vector<std::string>& args);
int cmd_submit(const std::vector<std::string>& args);  // cli_rpc.cpp
int cmd_status(const std::vector<std::string>& args);
int cmd_balance(const std::vector<std::string>& args);
int cmd_block(const std::vector<std::string>& args);
int cmd_rpc(const std::vector<std::string>& args);
int cmd_quote(const std::vector<std::string>& args);     // cli_quote.cpp
int cmd_analyze(const std::vector<std::string>& args);   // cli_analyze.cpp
int cmd_burns(const std::vector<std::string>& args);     // cli_burns.cpp
int cmd_scenario(const std::vector<std::string>& args);  // cli_scenario.cpp
int cmd_export(const std::vector<std::string>& args);
int cmd_compute(const std::vector<std::string>& args);       // cli_compute.cpp
int cmd_compute_core(const std::vector<std::string>& args);  // cli_compute_core.cpp

}  // namespace pactum::cli
