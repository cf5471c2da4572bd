// Crash-safe small files for the compute module: the acceptor's state and the issuer's
// ledger. Internal to compute/.
#pragma once
#include <optional>
#include <string>

#include "pactum/intents/result.hpp"

namespace pactum::compute {

// Replaces `path` with `content` so that a crash leaves either the old or the new file:
// write path.tmp, fsync it, rename over path, fsync the directory.
Result<void> write_file_atomically(const std::string& path, const std::string& content);
// Appends `line` + '\n' to `path` (created if absent) and fsyncs it (and the directory
// when the file was created). A crash can leave a torn last line; readers skip it.
Result<void> append_line_durably(const std::string& path, const std::string& line);
// The whole file, nothing if it does not exist, a storage error if it cannot be read.
Result<std::optional<std::string>> read_file_if_exists(const std::string& path);

}  // namespace pactum::compute
