// The Python reference solver (solvers/reference) as a child process on a free loopback
// port, for tests: solvers_test (http_solver) and system_test (a node asking it). Needs
// PACTUM_SOURCE_DIR defined by the test target.
#pragma once
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

namespace pactum::testing_support {

using namespace std::chrono_literals;

inline const std::string kScript = std::string(PACTUM_SOURCE_DIR) + "/solvers/reference/pactum_reference_solver.py";

// A python3 that can import pulp (Debian's python3-pulp is for /usr/bin/python3; a
// pyenv or venv python3 earlier on PATH may lack it), or "" if none.
inline std::string python_with_pulp() {
  for (const char* py : {"/usr/bin/python3", "python3"}) {
    const std::string cmd = std::string(py) + " -c 'import pulp' > /dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return "";
}

// The reference solver as a child process; its first line says the port it took.
class ReferenceSolver {
 public:
  // `script`: another Python test server that prints "listening on PORT" first.
  ReferenceSolver(const std::string& python, std::vector<std::string> args, const std::string& script = kScript) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      std::vector<std::string> argv = {python, script, "--port", "0"};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> c;
      for (auto& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      execvp(c[0], c.data());
      _exit(127);
    }
    close(fds[1]);
    port_ = read_port(fds[0]);
    close(fds[0]);
  }
  ~ReferenceSolver() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/solve"; }

 private:
  static int read_port(int fd) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[128];
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    const std::string prefix = "listening on ";
    return line.rfind(prefix, 0) == 0 ? std::atoi(line.c_str() + prefix.size()) : 0;
  }
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace pactum::testing_support
