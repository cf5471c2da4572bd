#include "fault_env.hpp"

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

namespace pactum::testing {

namespace {

using rocksdb::DataVerificationInfo;
using rocksdb::FileOptions;
using rocksdb::FSWritableFile;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

using Failing = std::shared_ptr<std::atomic<bool>>;

IOStatus no_space() { return IOStatus::NoSpace("injected by FaultEnv: no space left on device"); }

class FaultFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultFile(std::unique_ptr<FSWritableFile>&& file, Failing failing)
      : FSWritableFileOwnerWrapper(std::move(file)), failing_(std::move(failing)) {}
  IOStatus Append(const Slice& data, const IOOptions& o, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::Append(data, o, d);
  }
  IOStatus Append(const Slice& data, const IOOptions& o, const DataVerificationInfo& v, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::Append(data, o, v, d);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& o, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, d);
  }
  IOStatus Flush(const IOOptions& o, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::Flush(o, d);
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::Sync(o, d);
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    return *failing_ ? no_space() : FSWritableFileOwnerWrapper::Fsync(o, d);
  }

 private:
  Failing failing_;
};

class FaultFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, Failing failing)
      : FileSystemWrapper(base), failing_(std::move(failing)) {}
  const char* Name() const override { return "PactumFaultFileSystem"; }
  IOStatus NewWritableFile(const std::string& f, const FileOptions& o, std::unique_ptr<FSWritableFile>* r,
                           IODebugContext* d) override {
    return wrap(target()->NewWritableFile(f, o, r, d), r);
  }
  IOStatus ReopenWritableFile(const std::string& f, const FileOptions& o, std::unique_ptr<FSWritableFile>* r,
                              IODebugContext* d) override {
    return wrap(target()->ReopenWritableFile(f, o, r, d), r);
  }
  IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const FileOptions& o,
                             std::unique_ptr<FSWritableFile>* r, IODebugContext* d) override {
    return wrap(target()->ReuseWritableFile(f, old, o, r, d), r);
  }

 private:
  IOStatus wrap(IOStatus s, std::unique_ptr<FSWritableFile>* r) const {
    if (s.ok()) *r = std::make_unique<FaultFile>(std::move(*r), failing_);
    return s;
  }
  Failing failing_;
};

}  // namespace

FaultEnv::FaultEnv() : failing_(std::make_shared<std::atomic<bool>>(false)) {
  env_ = rocksdb::NewCompositeEnv(std::make_shared<FaultFileSystem>(rocksdb::FileSystem::Default(), failing_));
}

FaultEnv::~FaultEnv() = default;

rocksdb::Env* FaultEnv::env() const { return env_.get(); }

}  // namespace pactum::testing
