#include "tamper.hpp"

#include <memory>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <nlohmann/json.hpp>

#include "../src/store_layout.hpp"

namespace pactum::testing {

using namespace store_layout;

Result<void> overwrite_block_json(const std::string& dir, std::uint64_t height, const std::string& json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return make_error(Errc::invalid_params, "overwrite_block_json needs a JSON object");
  nlohmann::json header = nlohmann::json::object(), body = nlohmann::json::object();
  for (auto it = j.begin(); it != j.end(); ++it) (is_header_member(it.key()) ? header : body)[it.key()] = it.value();

  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : kCfNames) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  auto st = rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &raw_db);
  if (!st.ok()) return storage_error("opening " + dir, st);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  rocksdb::WriteBatch batch;
  batch.Put(handles[kHeaders], key_of_height(height), header.dump());
  batch.Put(handles[kBlocks], key_of_height(height), body.dump());
  rocksdb::WriteOptions wo;
  wo.sync = true;
  st = db->Write(wo, &batch);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  if (!st.ok()) return storage_error("overwriting block " + std::to_string(height), st);
  return {};
}

}  // namespace pactum::testing
