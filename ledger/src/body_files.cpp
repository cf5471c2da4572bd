// Append-only segment files for large block bodies (see body_files.hpp).
#include "body_files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "big_endian.hpp"

namespace pactum {

namespace {

constexpr unsigned char kLocatorTag = 0x01;
constexpr std::size_t kLocatorSize = 1 + 4 + 8 + 8;

Error io_error(const std::string& what, const std::string& path, int err) {
  return make_error(Errc::storage, what + " " + path + ": " + std::strerror(err));
}

// fsync on a directory makes a file created in it survive a crash.
Result<void> sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync directory", dir, err);
  return {};
}

// Segment numbers of the files in dir, ascending; names other than NNNNNN.dat are ignored.
std::map<std::uint32_t, std::uint64_t> segments_in(const std::string& dir) {
  std::map<std::uint32_t, std::uint64_t> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 10 || name.compare(6, 4, ".dat") != 0) continue;
    if (name.find_first_not_of("0123456789") != 6) continue;
    out[static_cast<std::uint32_t>(std::stoul(name.substr(0, 6)))] = entry.file_size(ec);
  }
  return out;
}

}  // namespace

std::string BodyLocator::encode() const {
  std::string out;
  out.reserve(kLocatorSize);
  out += static_cast<char>(kLocatorTag);
  big_endian::append32(out, segment);
  big_endian::append64(out, offset);
  big_endian::append64(out, length);
  return out;
}

std::optional<BodyLocator> BodyLocator::decode(std::string_view stored) {
  if (stored.size() != kLocatorSize || static_cast<unsigned char>(stored[0]) != kLocatorTag) return std::nullopt;
  BodyLocator at;
  at.segment = static_cast<std::uint32_t>(big_endian::read(stored.substr(1, 4)));
  at.offset = big_endian::read(stored.substr(5, 8));
  at.length = big_endian::read(stored.substr(13, 8));
  return at;
}

Result<std::unique_ptr<BodyFiles>> BodyFiles::open(const std::string& chain_dir, bool read_only) {
  const std::string dir = chain_dir + "/bodies";
  if (!read_only) {
    std::error_code ec;
    const bool created = std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(Errc::storage, "cannot create " + dir + ": " + ec.message());
    if (created) PACTUM_TRY(sync_dir(chain_dir));
  }
  return std::unique_ptr<BodyFiles>(new BodyFiles(dir, read_only));
}

BodyFiles::~BodyFiles() {
  if (write_fd_ >= 0) ::close(write_fd_);
  for (const auto& [segment, fd] : readers_) ::close(fd);
}

std::string BodyFiles::segment_path(std::uint32_t segment) const {
  char name[16];
  std::snprintf(name, sizeof name, "%06u.dat", segment);
  return dir_ + "/" + name;
}

Result<void> BodyFiles::open_for_append(std::uint32_t segment, std::uint64_t size) {
  const std::string path = segment_path(segment);
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot open block body file", path, errno);
  if (!exists) {
    auto synced = sync_dir(dir_);
    if (!synced) {
      ::close(fd);
      return synced.error();
    }
  }
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = fd;
  write_segment_ = segment;
  write_size_ = size;
  return {};
}

Result<void> BodyFiles::append_piece(std::string_view piece) {
  if (read_only_) return make_error(Errc::storage, "block body files at " + dir_ + " are open read-only");
  if (write_fd_ < 0) {
    PACTUM_TRY(open_for_append(write_segment_, write_size_));
  } else if (pending_ == 0 && write_size_ >= kSegmentLimit) {
    PACTUM_TRY(open_for_append(write_segment_ + 1, 0));
  }
  const std::uint64_t at = write_size_ + pending_;
  std::size_t done = 0;
  while (done < piece.size()) {
    const ssize_t n = ::pwrite(write_fd_, piece.data() + done, piece.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("cannot write block body to", segment_path(write_segment_), n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  // Start writing this piece to disk now (no wait): finish_append's sync then finds little left.
  (void)::sync_file_range(write_fd_, static_cast<off_t>(at), static_cast<off_t>(piece.size()), SYNC_FILE_RANGE_WRITE);
  pending_ += piece.size();
  return {};
}

Result<BodyLocator> BodyFiles::finish_append() {
  if (read_only_) return make_error(Errc::storage, "block body files at " + dir_ + " are open read-only");
  if (write_fd_ < 0) PACTUM_TRY(open_for_append(write_segment_, write_size_));  // an empty body
  if (::fdatasync(write_fd_) != 0) return io_error("cannot sync block body file", segment_path(write_segment_), errno);
  const BodyLocator at{write_segment_, write_size_, pending_};
  write_size_ += pending_;
  pending_ = 0;
  return at;
}

Result<BodyLocator> BodyFiles::append(std::string_view text) {
  PACTUM_TRY(append_piece(text));
  return finish_append();
}

Result<int> BodyFiles::reader(std::uint32_t segment) const {
  std::lock_guard lock(readers_mu_);
  if (auto it = readers_.find(segment); it != readers_.end()) return it->second;
  const std::string path = segment_path(segment);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open block body file", path, errno);
  readers_.emplace(segment, fd);
  return fd;
}

Result<std::string> BodyFiles::read(const BodyLocator& at) const {
  PACTUM_ASSIGN(fd, reader(at.segment));
  std::string out(at.length, '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(at.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read block body from", segment_path(at.segment), errno);
    if (n == 0) {
      return make_error(Errc::storage, "block body file " + segment_path(at.segment) + " ends at byte " +
                                           std::to_string(at.offset + done) + ", before the body's end at " +
                                           std::to_string(at.end()));
    }
    done += static_cast<std::size_t>(n);
  }
  return out;
}

Result<void> BodyFiles::truncate_to(const std::optional<BodyEnd>& end) {
  if (read_only_) return make_error(Errc::storage, "block body files at " + dir_ + " are open read-only");
  const auto segments = segments_in(dir_);
  for (const auto& [segment, size] : segments) {
    const std::string path = segment_path(segment);
    if (!end || segment > end->segment) {
      if (::unlink(path.c_str()) != 0) return io_error("cannot remove unfinished block body file", path, errno);
    } else if (segment == end->segment && size != end->offset) {
      if (size < end->offset) {
        return make_error(Errc::storage, "block body file " + path + " holds " + std::to_string(size) +
                                             " bytes, but committed blocks end at byte " + std::to_string(end->offset));
      }
      if (::truncate(path.c_str(), static_cast<off_t>(end->offset)) != 0) {
        return io_error("cannot cut an unfinished block body from", path, errno);
      }
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || ::fdatasync(fd) != 0) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        return io_error("cannot sync", path, err);
      }
      ::close(fd);
    }
  }
  if (end && segments.count(end->segment) == 0 && end->offset > 0) {
    return make_error(Errc::storage, "block body file " + segment_path(end->segment) + " is missing");
  }
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = -1;
  write_segment_ = end ? end->segment : 0;
  write_size_ = end ? end->offset : 0;
  pending_ = 0;
  PACTUM_TRY(sync_dir(dir_));
  return {};
}

}  // namespace pactum
