# Turns a JSON file into a C++ source returning it as a string_view.
file(READ ${IN} CONTENT)
file(WRITE ${OUT} "// Generated from genesis/devnet.json. Do not edit.\n#include \"pactum/genesis/devnet.hpp\"\nnamespace pactum {\nstd::string_view devnet_genesis_json() {\n  static const char text[] = R\"PACTUMJSON(${CONTENT})PACTUMJSON\";\n  return {text, sizeof(text) - 1};\n}\n}  // namespace pactum\n")
