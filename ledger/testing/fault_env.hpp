// A RocksDB environment whose writes fail on demand, as a full disk's would: the test seam
// of the store (Store::open and Chain::open take an Env), in the spirit of LevelDB's Env.
// Production code knows nothing of it: the store sees real RocksDB write errors.
#pragma once
#include <atomic>
#include <memory>

namespace rocksdb {
class Env;
}

namespace pactum::testing {

class FaultEnv {
 public:
  FaultEnv();
  ~FaultEnv();
  FaultEnv(const FaultEnv&) = delete;
  FaultEnv& operator=(const FaultEnv&) = delete;

  rocksdb::Env* env() const;  // pass to Store::open / Chain::open
  // From now on every append, flush and sync of a file RocksDB writes fails with "no
  // space left on device" (or, with `false`, succeeds again).
  void fail_writes(bool failing = true) { failing_->store(failing); }

 private:
  std::shared_ptr<std::atomic<bool>> failing_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace pactum::testing
