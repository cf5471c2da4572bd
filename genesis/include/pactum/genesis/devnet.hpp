// The default devnet genesis, embedded in the binary from genesis/devnet.json.
#pragma once
#include <string_view>

namespace pactum {
std::string_view devnet_genesis_json();
}
