// write temp + fsync + rename + fsync dir (durable_file.hpp).
#include "durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace pactum::compute {

namespace {

Error io_error(const std::string& what, const std::string& path, int err) {
  return make_error(Errc::storage, what + " " + path + ": " + std::strerror(err));
}

std::string parent_dir(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

Result<void> sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync directory", dir, err);
  return {};
}

// Writes all of `data` to fd and fsyncs it; closes fd in every case.
Result<void> write_all_and_sync(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return io_error("cannot write", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("cannot sync", path, err);
  }
  if (::close(fd) != 0) return io_error("cannot close", path, errno);
  return {};
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  PACTUM_TRY(write_all_and_sync(fd, content, tmp));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot rename over", path, errno);
  return sync_dir(parent_dir(path));
}

Result<void> append_line_durably(const std::string& path, const std::string& line) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot open", path, errno);
  PACTUM_TRY(write_all_and_sync(fd, line + "\n", path));
  if (!existed) PACTUM_TRY(sync_dir(parent_dir(path)));
  return {};
}

Result<std::optional<std::string>> read_file_if_exists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return make_error(Errc::storage, "cannot stat " + path + ": " + ec.message());
    return std::optional<std::string>();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::storage, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

}  // namespace pactum::compute
