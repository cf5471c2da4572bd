// JSON encodings and hashes of prices, receipts, headers and blocks (see block.hpp).
#include "pactum/ledger/block.hpp"

#include <cassert>

#include "pactum/intents/field_reader.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum {

namespace {

using json = nlohmann::json;
constexpr FieldReader kReader(Errc::invalid_params);

const TaggedHasher& list_hasher() {
  static const TaggedHasher h("pactum/list/v1");
  return h;
}

// JCS of JSON the ledger itself built (strings, bools, safe integers): cannot fail.
std::string canonical(const json& j) {
  auto c = pactum::canonicalize(j);
  assert(c.ok());
  return c.ok() ? std::move(c).value() : std::string();
}

// A reduced rational's part: plain decimal, no sign, no leading zero, bounded length.
Result<BigInt> parse_big_decimal(const json& j, std::string_view path, std::string_view name) {
  PACTUM_ASSIGN(s, kReader.string(j, path, name));
  const std::string field = join_path(path, name);
  if (s.empty() || s.size() > 160) return kReader.fail(field, "must be 1 to 160 decimal digits");
  for (char c : s) {
    if (c < '0' || c > '9') return kReader.fail(field, "must be decimal digits");
  }
  if (s.size() > 1 && (s)[0] == '0') return kReader.fail(field, "must not have leading zeros");
  return BigInt(s);
}

Result<std::string> parse_symbol(const json& j, std::string_view path, std::string_view name, bool allow_empty) {
  PACTUM_ASSIGN(s, kReader.string(j, path, name));
  if (s.empty() && allow_empty) return s;
  if (!is_valid_asset_symbol(s)) {
    return kReader.fail(join_path(path, name), "must be an asset symbol: 1 to 16 characters of A-Z and 0-9, or BASE@H");
  }
  return s;
}

// An element's error, placed under the element's path ("intents[3]: amount: ...").
Error nest(const Error& e, const std::string& prefix) {
  return make_error(Errc::invalid_params, prefix + ": " + e.message, e.field.empty() ? prefix : prefix + "." + e.field);
}

json header_fields_json(const BlockHeader& h) {
  json j;
  j["height"] = h.height;
  j["parent"] = h.parent.hex();
  j["timestamp"] = h.timestamp;
  j["state_root"] = h.state_root.hex();
  j["intents_root"] = h.intents_root.hex();
  j["receipts_root"] = h.receipts_root.hex();
  j["producer"] = h.producer.hex();
  return j;
}

}  // namespace

// ---- Price ----

json Price::to_json() const { return json{{"base", base}, {"quote", quote}, {"num", num.str()}, {"den", den.str()}}; }

Result<Price> Price::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "price", {"base", "quote", "num", "den"}));
  Price p;
  auto base = parse_symbol(j, "price", "base", false);
  if (!base) return base.error();
  auto quote = parse_symbol(j, "price", "quote", false);
  if (!quote) return quote.error();
  if (!(*base < *quote)) return kReader.fail("price.quote", "base must sort before quote");
  auto num = parse_big_decimal(j, "price", "num");
  if (!num) return num.error();
  auto den = parse_big_decimal(j, "price", "den");
  if (!den) return den.error();
  if (*den == 0) return kReader.fail("price.den", "must be positive");
  p.base = std::move(*base);
  p.quote = std::move(*quote);
  p.num = std::move(*num);
  p.den = std::move(*den);
  return p;
}

json AssetPrice::to_json() const { return json{{"asset", asset}, {"num", num.str()}, {"den", den.str()}}; }

Result<AssetPrice> AssetPrice::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "asset_price", {"asset", "num", "den"}));
  AssetPrice p;
  auto asset = parse_symbol(j, "asset_price", "asset", false);
  if (!asset) return asset.error();
  auto num = parse_big_decimal(j, "asset_price", "num");
  if (!num) return num.error();
  auto den = parse_big_decimal(j, "asset_price", "den");
  if (!den) return den.error();
  if (*num == 0) return kReader.fail("asset_price.num", "must be positive");
  if (*den == 0) return kReader.fail("asset_price.den", "must be positive");
  p.asset = std::move(*asset);
  p.num = std::move(*num);
  p.den = std::move(*den);
  return p;
}

// ---- Receipt ----

std::string_view receipt_status_name(ReceiptStatus s) {
  switch (s) {
    case ReceiptStatus::settled:
      return "settled";
    case ReceiptStatus::unfilled:
      return "unfilled";
    case ReceiptStatus::rejected:
      return "rejected";
    case ReceiptStatus::cancelled:
      return "cancelled";
  }
  return "rejected";
}

json Receipt::to_json() const {
  json j;
  j["intent"] = intent.hex();
  j["status"] = std::string(receipt_status_name(status));
  j["reason"] = reason;
  j["message"] = message;
  j["sold_asset"] = sold_asset;
  j["sold"] = amount_to_string(sold);
  j["bought_asset"] = bought_asset;
  j["bought"] = amount_to_string(bought);
  if (price) j["price"] = price->to_json();
  j["partial_fill"] = partial_fill;
  if (!related.empty()) {
    json ids = json::array();
    for (const Hash32& h : related) ids.push_back(h.hex());
    j["related"] = std::move(ids);
  }
  if (step) j["step"] = *step;
  return j;
}

Result<Receipt> Receipt::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "receipt",
                                 {"intent", "status", "reason", "message", "sold_asset", "sold", "bought_asset",
                                  "bought", "price", "partial_fill", "related", "step"}));
  Receipt r;
  PACTUM_ASSIGN(id, kReader.hash(j, "receipt", "intent"));
  r.intent = id;
  auto status = kReader.string(j, "receipt", "status");
  if (!status) return status.error();
  bool known = false;
  for (auto s : {ReceiptStatus::settled, ReceiptStatus::unfilled, ReceiptStatus::rejected, ReceiptStatus::cancelled}) {
    if (*status == receipt_status_name(s)) {
      r.status = s;
      known = true;
    }
  }
  if (!known) return kReader.fail("receipt.status", "must be settled, unfilled, rejected or cancelled");
  auto reason = kReader.string(j, "receipt", "reason");
  if (!reason) return reason.error();
  r.reason = std::move(*reason);
  auto message = kReader.string(j, "receipt", "message");
  if (!message) return message.error();
  r.message = std::move(*message);
  auto sold_asset = parse_symbol(j, "receipt", "sold_asset", true);
  if (!sold_asset) return sold_asset.error();
  r.sold_asset = std::move(*sold_asset);
  auto sold = kReader.amount(j, "receipt", "sold");
  if (!sold) return sold.error();
  r.sold = *sold;
  auto bought_asset = parse_symbol(j, "receipt", "bought_asset", true);
  if (!bought_asset) return bought_asset.error();
  r.bought_asset = std::move(*bought_asset);
  auto bought = kReader.amount(j, "receipt", "bought");
  if (!bought) return bought.error();
  r.bought = *bought;
  if (auto it = j.find("price"); it != j.end()) {
    PACTUM_ASSIGN(p, Price::from_json(*it));
    r.price = std::move(p);
  }
  PACTUM_ASSIGN(partial, kReader.boolean(j, "receipt", "partial_fill"));
  r.partial_fill = partial;
  if (auto it = j.find("related"); it != j.end()) {
    if (!it->is_array() || it->empty())
      return kReader.fail("receipt.related", "must be a non-empty array of intent ids");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string f = "receipt.related[" + std::to_string(i) + "]";
      if (!(*it)[i].is_string()) return kReader.fail(f, "must be a hex string");
      PACTUM_ASSIGN(h, Hash32::from_hex((*it)[i].get<std::string>(), f));
      r.related.push_back(h);
    }
  }
  if (auto it = j.find("step"); it != j.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() >= 1000)
      return kReader.fail("receipt.step", "must be a step index");
    r.step = static_cast<std::uint32_t>(it->get<std::uint64_t>());
  }
  return r;
}

namespace {

// canonical(receipt.to_json()) written directly, without building a json object per
// receipt (a block hashes all of its receipts): the members of to_json() in RFC 8785
// order (ASCII names, so byte order). block_test checks it against the generic path.
std::string receipt_canonical(const Receipt& r) {
  std::string out;
  out.reserve(256 + r.message.size() + r.related.size() * 67);
  out += "{\"bought\":\"";
  out += amount_to_string(r.bought);
  out += "\",\"bought_asset\":";
  append_jcs_string(out, r.bought_asset);
  out += ",\"intent\":\"";
  out += r.intent.hex();
  out += "\",\"message\":";
  append_jcs_string(out, r.message);
  out += ",\"partial_fill\":";
  out += r.partial_fill ? "true" : "false";
  if (r.price) {
    out += ",\"price\":{\"base\":";
    append_jcs_string(out, r.price->base);
    out += ",\"den\":";
    append_jcs_string(out, r.price->den.str());
    out += ",\"num\":";
    append_jcs_string(out, r.price->num.str());
    out += ",\"quote\":";
    append_jcs_string(out, r.price->quote);
    out += '}';
  }
  out += ",\"reason\":";
  append_jcs_string(out, r.reason);
  if (!r.related.empty()) {
    out += ",\"related\":[";
    for (std::size_t i = 0; i < r.related.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      out += r.related[i].hex();
      out += '"';
    }
    out += ']';
  }
  out += ",\"sold\":\"";
  out += amount_to_string(r.sold);
  out += "\",\"sold_asset\":";
  append_jcs_string(out, r.sold_asset);
  out += ",\"status\":";
  append_jcs_string(out, receipt_status_name(r.status));
  if (r.step) {
    out += ",\"step\":";
    out += std::to_string(*r.step);
  }
  out += '}';
  return out;
}

}  // namespace

std::string Receipt::canonical_json() const { return receipt_canonical(*this); }

// A receipt's hash from its canonical JSON (Receipt::hash, and receipts_root over a
// block's receipt_texts).
Hash32 hash_receipt_text(std::string_view canonical) {
  static const TaggedHasher hasher("pactum/receipt/v1");
  return hasher(as_bytes(canonical));
}

Hash32 Receipt::hash() const { return hash_receipt_text(canonical_json()); }

// ---- BlockHeader ----

Hash32 BlockHeader::hash() const {
  static const TaggedHasher hasher("pactum/block/v1");
  return hasher(as_bytes(canonical(header_fields_json(*this))));
}

json BlockHeader::to_json() const {
  json j = header_fields_json(*this);
  j["hash"] = hash().hex();
  j["sig"] = sig.hex();
  return j;
}

namespace {

// Reads the header members of `j`, ignoring other members (the caller checks those).
Result<BlockHeader> read_header(const json& j) {
  BlockHeader h;
  auto height = kReader.uint(j, "", "height", kMaxSafeInteger);
  if (!height) return height.error();
  h.height = *height;
  auto timestamp = kReader.uint(j, "", "timestamp", kMaxSafeInteger);
  if (!timestamp) return timestamp.error();
  h.timestamp = *timestamp;
  for (auto [name, out] : {std::pair{"parent", &h.parent}, std::pair{"state_root", &h.state_root},
                           std::pair{"intents_root", &h.intents_root}, std::pair{"receipts_root", &h.receipts_root}}) {
    PACTUM_ASSIGN(v, kReader.hash(j, "", name));
    *out = v;
  }
  auto producer = kReader.string(j, "", "producer");
  if (!producer) return producer.error();
  auto key = PublicKey::from_hex(*producer, "producer");
  if (!key) return kReader.recode(key.error(), "producer");
  h.producer = *key;
  auto sig = kReader.string(j, "", "sig");
  if (!sig) return sig.error();
  auto s = Signature::from_hex(*sig, "sig");
  if (!s) return kReader.recode(s.error(), "sig");
  h.sig = *s;
  // A stored or received "hash" must be the hash of these fields: catches edits.
  if (auto it = j.find("hash"); it != j.end()) {
    PACTUM_ASSIGN(stated, kReader.hash_value(*it, "hash"));
    if (!(stated == h.hash())) return kReader.fail("hash", "does not match the hash of the header fields");
  }
  return h;
}

}  // namespace

Result<BlockHeader> BlockHeader::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(
      j, "",
      {"height", "parent", "timestamp", "state_root", "intents_root", "receipts_root", "producer", "hash", "sig"}));
  return read_header(j);
}

// ---- Block ----

json Block::body_members_json() const {
  json j = json::object();
  auto pr = json::array();
  for (const auto& p : prices) pr.push_back(p.to_json());
  j["prices"] = std::move(pr);
  auto ap = json::array();
  for (const auto& p : asset_prices) ap.push_back(p.to_json());
  j["asset_prices"] = std::move(ap);
  if (clearing_pools) {
    auto pools = json::array();
    for (const auto& p : *clearing_pools) pools.push_back(p.to_json());
    j["clearing"] = json{{"pools", std::move(pools)}};
  }
  if (solver) j["solver"] = solver->to_json();
  return j;
}

Clearing Block::clearing() const {
  return clearing_of(intents, receipts, prices, asset_prices, clearing_pools.value_or(std::vector<PoolReserves>{}));
}

namespace {

Result<std::vector<PoolReserves>> read_clearing(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "clearing", {"pools"}));
  PACTUM_ASSIGN(pools, kReader.member(j, "clearing", "pools"));
  if (!pools->is_array()) return kReader.fail("clearing.pools", "must be an array");
  std::vector<PoolReserves> out;
  for (std::size_t i = 0; i < pools->size(); ++i) {
    auto p = PoolReserves::from_json((*pools)[i]);
    if (!p) return nest(p.error(), index_path("clearing.pools", i));
    out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace

json Block::to_json() const {
  json j = header.to_json();
  j.update(body_members_json());
  auto in = json::array();
  for (const auto& i : intents) in.push_back(intent_to_json(i));
  auto rc = json::array();
  for (const auto& r : receipts) rc.push_back(r.to_json());
  j["intents"] = std::move(in);
  j["receipts"] = std::move(rc);
  return j;
}

Result<Block> Block::from_json(const json& j) {
  PACTUM_TRY(
      kReader.object_with(j, "",
                          {"height", "parent", "timestamp", "state_root", "intents_root", "receipts_root", "producer",
                           "hash", "sig", "intents", "prices", "asset_prices", "receipts", "clearing", "solver"}));
  Block b;
  auto header = read_header(j);
  if (!header) return header.error();
  b.header = std::move(*header);

  auto arr = [&](std::string_view name) -> Result<const json*> {
    PACTUM_ASSIGN(m, kReader.member(j, "", name));
    if (!(m)->is_array()) return kReader.fail(std::string(name), "must be an array");
    return m;
  };
  PACTUM_ASSIGN(intents, arr("intents"));
  b.intents.reserve((intents)->size());
  for (std::size_t i = 0; i < (intents)->size(); ++i) {
    auto in = decode_intent((*intents)[i], true);
    if (!in) return nest(in.error(), index_path("intents", i));
    b.intents.push_back(std::move(*in));
  }
  PACTUM_ASSIGN(prices, arr("prices"));
  for (std::size_t i = 0; i < (prices)->size(); ++i) {
    auto p = Price::from_json((*prices)[i]);
    if (!p) return nest(p.error(), index_path("prices", i));
    b.prices.push_back(std::move(*p));
  }
  PACTUM_ASSIGN(asset_prices, arr("asset_prices"));
  for (std::size_t i = 0; i < (asset_prices)->size(); ++i) {
    auto p = AssetPrice::from_json((*asset_prices)[i]);
    if (!p) return nest(p.error(), index_path("asset_prices", i));
    if (!b.asset_prices.empty() && !(b.asset_prices.back().asset < p->asset))
      return kReader.fail(index_path("asset_prices", i) + ".asset", "must be sorted by asset, without repeats");
    b.asset_prices.push_back(std::move(*p));
  }
  if (j.contains("clearing")) {
    PACTUM_ASSIGN(pools, read_clearing(j["clearing"]));
    b.clearing_pools = std::move(pools);
  }
  if (j.contains("solver")) {
    PACTUM_ASSIGN(solver, SolverRecord::from_json(j["solver"]));
    b.solver = std::move(solver);
  }
  PACTUM_ASSIGN(receipts, arr("receipts"));
  if ((receipts)->size() != b.intents.size()) return kReader.fail("receipts", "must hold one receipt per intent");
  b.receipts.reserve(b.intents.size());
  for (std::size_t i = 0; i < (receipts)->size(); ++i) {
    auto r = Receipt::from_json((*receipts)[i]);
    if (!r) return nest(r.error(), index_path("receipts", i));
    if (!(r->intent == b.intents[i].id)) {
      return kReader.fail(index_path("receipts", i) + ".intent", "does not name the intent at the same index");
    }
    b.receipts.push_back(std::move(*r));
  }
  return b;
}

// ---- Roots ----

Hash32 list_root(const std::vector<Hash32>& items) {
  if (items.empty()) return Hash32{};
  std::vector<Hash32> level = items;
  while (level.size() > 1) {
    std::vector<Hash32> up;
    up.reserve((level.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < level.size(); i += 2) {
      up.push_back(list_hasher()(Bytes(level[i].bytes), Bytes(level[i + 1].bytes)));
    }
    if (level.size() % 2 == 1) up.push_back(level.back());  // odd last element moves up as is
    level = std::move(up);
  }
  return level[0];
}

Hash32 intents_root(const std::vector<Intent>& intents) {
  std::vector<Hash32> ids;
  ids.reserve(intents.size());
  for (const auto& i : intents) ids.push_back(i.id);
  return list_root(ids);
}

Hash32 receipts_root(const std::vector<Receipt>& receipts) {
  std::vector<Hash32> hashes;
  hashes.reserve(receipts.size());
  for (const auto& r : receipts) hashes.push_back(r.hash());
  return list_root(hashes);
}

void Block::fill_receipt_texts() {
  if (receipt_texts.size() == receipts.size()) return;
  receipt_texts.clear();
  receipt_texts.reserve(receipts.size());
  for (const auto& r : receipts) receipt_texts.push_back(r.canonical_json());
}

void Block::append_receipt_json(std::string& out, std::size_t i) const {
  if (receipt_texts.size() == receipts.size())
    out += receipt_texts[i];
  else
    out += receipts[i].canonical_json();
}

Hash32 receipts_root(const Block& block) {
  if (block.receipt_texts.size() != block.receipts.size()) return receipts_root(block.receipts);
  std::vector<Hash32> hashes;
  hashes.reserve(block.receipt_texts.size());
  for (const auto& text : block.receipt_texts) hashes.push_back(hash_receipt_text(text));
  return list_root(hashes);
}

}  // namespace pactum
