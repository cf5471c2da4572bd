// Block bodies kept beside RocksDB, in append-only segment files DIR/bodies/NNNNNN.dat,
// the way Bitcoin Core keeps blocks in blk*.dat files beside its LevelDB index.
//
// Why: a 10,000-intent body is about 6 MB of JSON. Inside RocksDB it is copied into the
// write-ahead log (with a software CRC32C on this Debian build), into the memtable, and
// again by the background flush (block building and compression): about a tenth of a
// large block's commit CPU. Here it is written once and read back with pread.
//
// Contract:
//  - append(text) (or append_piece()... finish_append()) writes the text at the end of the
//    current segment and makes it durable (fdatasync; a new segment's directory entry is
//    synced too) before it returns its locator. Segments roll over past kSegmentLimit. The store puts the locator in
//    RocksDB only after that, so a locator on disk always points at durable bytes.
//  - Bytes past the last committed body (a staged block that never got its commit point,
//    or a torn write) are cut off by truncate_to() when the store opens; the store keeps
//    the end of the last committed body in its meta data, written in the commit point.
//  - read() returns exactly the bytes append() was given. It is safe from many threads.
//  - A read-only instance never writes, truncates or creates anything.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "pactum/intents/result.hpp"

namespace pactum {

// Where a body is: segment number, byte offset, length. Stored in RocksDB as 21 bytes
// starting with 0x01 (an inline JSON body starts with '{', so the two never collide).
struct BodyLocator {
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;

  std::uint64_t end() const { return offset + length; }
  std::string encode() const;
  // nullopt unless `stored` is a locator's encoding.
  static std::optional<BodyLocator> decode(std::string_view stored);
};

// The end of the committed data: segment and offset (as a locator of length 0).
using BodyEnd = BodyLocator;

class BodyFiles {
 public:
  // A body that starts in a segment of this size or more starts a new segment instead.
  static constexpr std::uint64_t kSegmentLimit = 256ull << 20;

  static Result<std::unique_ptr<BodyFiles>> open(const std::string& chain_dir, bool read_only);
  ~BodyFiles();
  BodyFiles(const BodyFiles&) = delete;
  BodyFiles& operator=(const BodyFiles&) = delete;

  [[nodiscard]] Result<BodyLocator> append(std::string_view text);
  // append() in pieces, so that the disk writes a large body while the rest of it is
  // still being encoded: each piece is written and its writeback started at once
  // (sync_file_range), and finish_append() syncs what is left and returns the locator of
  // all the pieces since the last finish. A failure leaves bytes past the committed end,
  // which the next open cuts off (the store refuses writes after one anyway).
  [[nodiscard]] Result<void> append_piece(std::string_view piece);
  [[nodiscard]] Result<BodyLocator> finish_append();
  [[nodiscard]] Result<std::string> read(const BodyLocator& at) const;
  // Removes everything past `end` (nullopt: every segment). Writable instances only.
  [[nodiscard]] Result<void> truncate_to(const std::optional<BodyEnd>& end);

 private:
  BodyFiles(std::string dir, bool read_only) : dir_(std::move(dir)), read_only_(read_only) {}
  std::string segment_path(std::uint32_t segment) const;
  Result<int> reader(std::uint32_t segment) const;
  Result<void> open_for_append(std::uint32_t segment, std::uint64_t size);

  std::string dir_;
  bool read_only_;
  int write_fd_ = -1;
  std::uint32_t write_segment_ = 0;
  std::uint64_t write_size_ = 0;  // end of the last finished body in the write segment
  std::uint64_t pending_ = 0;     // bytes of the body being appended, past write_size_
  mutable std::mutex readers_mu_;
  mutable std::map<std::uint32_t, int> readers_;
};

}  // namespace pactum
