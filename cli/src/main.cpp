// The `pactum` binary. Exceptions end here: the message goes to stderr, exit code 1.
#include <iostream>
#include <string>
#include <vector>

#include "pactum/cli/args.hpp"
#include "pactum/cli/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return pactum::cli::run(args);
  } catch (const pactum::cli::UsageError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
