// The HTML report (report_html.hpp). Chart geometry is computed in exact arithmetic and
// rounded to whole pixels, so the same study renders to the same bytes.
#include "report_html.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <sstream>

#include "report_format.hpp"

namespace pactum::analysis {

namespace {

constexpr int kWidth = 800, kHeight = 220, kLeft = 120, kRight = 20, kTop = 28, kBottom = 30;
constexpr std::size_t kMaxPoints = 300;
const char* const kColors[] = {"#2b6cb0", "#dd6b20", "#c53030", "#2f855a", "#6b46c1", "#718096"};

std::string esc(const std::string& t) {
  std::string o;
  for (char c : t) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

long px(const Rational& v) {
  const BigInt t = boost::multiprecision::numerator(v) / boost::multiprecision::denominator(v);
  return static_cast<long>(t);
}

struct Series {
  std::string name;
  std::vector<Rational> values;
};

// Plot coordinates: value -> y pixel within the plot area, index -> x pixel.
struct Frame {
  Rational lo, hi;
  std::size_t n = 0;
  long y(const Rational& v) const {
    const Rational span = hi == lo ? Rational(1) : hi - lo;
    return kTop + px((hi - v) * (kHeight - kTop - kBottom) / span);
  }
  long x(std::size_t i) const {
    const int w = kWidth - kLeft - kRight;
    return kLeft + (n <= 1 ? w / 2 : static_cast<long>(i * w / (n - 1)));
  }
};

Frame frame_of(const std::vector<Series>& series, bool from_zero) {
  Frame f;
  bool first = true;
  for (const Series& s : series) {
    f.n = std::max(f.n, s.values.size());
    for (const Rational& v : s.values) {
      if (first) {
        f.lo = f.hi = v;
        first = false;
      }
      f.lo = std::min(f.lo, v);
      f.hi = std::max(f.hi, v);
    }
  }
  if (from_zero) {
    f.lo = std::min(f.lo, Rational(0));
    f.hi = std::max(f.hi, Rational(0));
  }
  return f;
}

void open_svg(std::ostringstream& o, const std::string& title, const Frame& f, const std::string& lo_label,
              const std::string& hi_label, const std::vector<std::uint64_t>& xs) {
  o << "<svg viewBox=\"0 0 " << kWidth << " " << kHeight << "\" width=\"" << kWidth << "\" height=\"" << kHeight
    << "\" role=\"img\" aria-label=\"" << esc(title) << "\">\n<text x=\"" << kLeft << "\" y=\"16\" class=\"t\">"
    << esc(title) << "</text>\n";
  const long bottom = kHeight - kBottom;
  o << "<line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\"" << bottom
    << "\" class=\"ax\"/>"
    << "<line x1=\"" << kLeft << "\" y1=\"" << bottom << "\" x2=\"" << kWidth - kRight << "\" y2=\"" << bottom
    << "\" class=\"ax\"/>\n";
  o << "<text x=\"" << kLeft - 4 << "\" y=\"" << kTop + 4 << "\" class=\"l\" text-anchor=\"end\">" << esc(hi_label)
    << "</text><text x=\"" << kLeft - 4 << "\" y=\"" << bottom << "\" class=\"l\" text-anchor=\"end\">" << esc(lo_label)
    << "</text>\n";
  if (!xs.empty()) {
    o << "<text x=\"" << f.x(0) << "\" y=\"" << kHeight - 10 << "\" class=\"l\">block " << xs.front() << "</text>"
      << "<text x=\"" << f.x(f.n - 1) << "\" y=\"" << kHeight - 10 << "\" class=\"l\" text-anchor=\"end\">block "
      << xs.back() << "</text>\n";
  }
  if (f.lo < 0 && f.hi > 0) {
    o << "<line x1=\"" << kLeft << "\" y1=\"" << f.y(0) << "\" x2=\"" << kWidth - kRight << "\" y2=\"" << f.y(0)
      << "\" class=\"zero\"/>\n";
  }
}

void legend(std::ostringstream& o, const std::vector<Series>& series) {
  long x = kLeft + 260;
  for (std::size_t k = 0; k < series.size(); ++k) {
    o << "<rect x=\"" << x << "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" << kColors[k % 6] << "\"/><text x=\""
      << x + 14 << "\" y=\"17\" class=\"l\">" << esc(series[k].name) << "</text>\n";
    x += 24 + 7 * static_cast<long>(series[k].name.size());
  }
}

std::string line_chart(const std::string& title, const std::vector<Series>& series,
                       const std::vector<std::uint64_t>& xs, const std::function<std::string(const Rational&)>& label) {
  const Frame f = frame_of(series, false);
  std::ostringstream o;
  open_svg(o, title, f, label(f.lo), label(f.hi), xs);
  for (std::size_t k = 0; k < series.size(); ++k) {
    o << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << kColors[k % 6] << "\" points=\"";
    for (std::size_t i = 0; i < series[k].values.size(); ++i)
      o << (i ? " " : "") << f.x(i) << "," << f.y(series[k].values[i]);
    o << "\"/>\n";
  }
  legend(o, series);
  o << "</svg>\n";
  return o.str();
}

std::string bar_chart(const std::string& title, const std::vector<Series>& stacked,
                      const std::vector<std::uint64_t>& xs, const std::function<std::string(const Rational&)>& label) {
  // Bars stack their series (all >= 0 here: profits, counts).
  std::vector<Series> totals{{"total", {}}};
  const std::size_t n = stacked.empty() ? 0 : stacked[0].values.size();
  for (std::size_t i = 0; i < n; ++i) {
    Rational t = 0;
    for (const Series& s : stacked) t += s.values[i];
    totals[0].values.push_back(t);
  }
  const Frame f = frame_of(totals, true);
  std::ostringstream o;
  open_svg(o, title, f, label(f.lo), label(f.hi), xs);
  const long w = std::max<long>(1, (kWidth - kLeft - kRight) / static_cast<long>(std::max<std::size_t>(1, n)) - 1);
  for (std::size_t i = 0; i < n; ++i) {
    Rational base = 0;
    for (std::size_t k = 0; k < stacked.size(); ++k) {
      const Rational top = base + stacked[k].values[i];
      const long y1 = f.y(top), y0 = f.y(base);
      if (y0 > y1) {
        o << "<rect x=\"" << f.x(i) - w / 2 << "\" y=\"" << y1 << "\" width=\"" << w << "\" height=\"" << y0 - y1
          << "\" fill=\"" << kColors[(k + 1) % 6] << "\"/>";
      }
      base = top;
    }
  }
  o << "\n";
  std::vector<Series> names;
  for (const Series& s : stacked) names.push_back({s.name, {}});
  // Shift the legend colours to match the bars (bars use colours 1..).
  long x = kLeft + 260;
  for (std::size_t k = 0; k < names.size(); ++k) {
    o << "<rect x=\"" << x << "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" << kColors[(k + 1) % 6]
      << "\"/><text x=\"" << x + 14 << "\" y=\"17\" class=\"l\">" << esc(names[k].name) << "</text>\n";
    x += 24 + 7 * static_cast<long>(names[k].name.size());
  }
  o << "</svg>\n";
  return o.str();
}

// Indices of the blocks to plot: all, or kMaxPoints evenly spaced buckets (bars sum a
// bucket; lines take its last block).
std::vector<std::pair<std::size_t, std::size_t>> buckets(std::size_t n) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t k = std::min(n, kMaxPoints);
  for (std::size_t b = 0; b < k; ++b) out.emplace_back(b * n / k, (b + 1) * n / k);
  return out;
}

std::string money_label(const Study& s, const Rational& v) { return money(s, v) + " " + s.numeraire; }

void write_head(std::ostream& o, const Study& s) {
  o << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pactum sequencing study: "
    << esc(s.chain_id) << " blocks " << s.from << "-" << s.to << "</title>\n<style>"
    << "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:860px;color:#1a202c}"
    << "h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}"
    << "td,th{border-bottom:1px solid #e2e8f0;padding:3px "
       "10px;text-align:right}th:first-child,td:first-child{text-align:left}"
    << "svg{display:block;margin:10px 0}.t{font-weight:600;font-size:13px}.l{font-size:11px;fill:#4a5568}"
    << ".ax{stroke:#a0aec0}.zero{stroke:#cbd5e0;stroke-dasharray:3 3}.note{color:#4a5568;font-size:13px}"
    << "code{font-size:12px}</style></head><body>\n";
  o << "<h1>Sequencing study of " << esc(s.chain_id) << ", blocks " << s.from << " to " << s.to << "</h1>\n"
    << "<p class=\"note\">Every block's swaps re-run on the same pre-block state under three rules: <b>batch</b> "
       "(what pactum settled), <b>fcfs</b> (arrival order, each swap alone against the pools) and <b>adversarial</b> "
       "(fcfs plus a searcher who sandwiches and back-runs where it pays). Values in "
    << esc(s.numeraire) << " at the pre-block pool prices; definitions in docs/MECHANISMS.md section 10.</p>\n";
}

void write_summary(std::ostream& o, const Study& s, const Totals& t) {
  o << "<h2>Summary</h2><table><tr><th></th><th>batch</th><th>fcfs</th><th>adversarial</th></tr>\n";
  o << "<tr><td>swaps filled (of " << t.swaps << ")</td>";
  for (auto v : t.filled) o << "<td>" << v << "</td>";
  o << "</tr><tr><td>trader surplus</td>";
  for (const auto& v : t.surplus) o << "<td>" << money(s, v) << "</td>";
  o << "</tr><tr><td>traders worse off than batch</td>";
  for (std::size_t r = 0; r < 3; ++r)
    o << "<td>" << t.worse_off[r] << " (" << share(t.worse_off[r], t.swaps) << ")</td>";
  o << "</tr><tr><td>traders better off than batch</td>";
  for (std::size_t r = 0; r < 3; ++r) o << "<td>" << t.better_off[r] << "</td>";
  o << "</tr><tr><td>pool loss versus rebalancing</td>";
  for (const auto& v : t.lvr) o << "<td>" << money(s, v) << "</td>";
  o << "</tr><tr><td>value extracted (sandwich + back-run)</td><td>0</td><td>0</td><td>"
    << money(s, t.sandwich_value + t.backrun_value) << "</td></tr></table>\n";
  o << "<p class=\"note\">" << s.sandwiches.size() << " sandwiches extracted " << esc(money_label(s, t.sandwich_value))
    << "; back-run arbitrage took " << esc(money_label(s, t.backrun_value)) << ".</p>\n";
}

// Surplus by rule and value extracted, per block (bucketed).
void write_block_charts(std::ostream& o, const Study& s) {
  std::vector<Series> surplus_bars;
  for (Rule r : kRules) surplus_bars.push_back({std::string(rule_name(r)), {}});
  std::vector<Series> extracted{{"sandwich", {}}, {"back-run", {}}};
  std::vector<std::uint64_t> xs;
  const auto bs = buckets(s.blocks.size());
  for (const auto& [b0, b1] : bs) {
    std::array<Rational, 3> sur;
    Rational sw, br;
    for (std::size_t i = b0; i < b1; ++i) {
      for (std::size_t r = 0; r < 3; ++r) sur[r] += s.blocks[i].surplus[r];
      sw += s.blocks[i].sandwich_value;
      br += s.blocks[i].backrun_value;
    }
    for (std::size_t r = 0; r < 3; ++r) surplus_bars[r].values.push_back(sur[r]);
    extracted[0].values.push_back(sw);
    extracted[1].values.push_back(br);
    xs.push_back(s.blocks[b1 - 1].height);
  }
  auto label = [&](const Rational& v) { return money_label(s, v); };
  o << "<h2>Trader surplus per block, by rule</h2>\n"
    << line_chart("surplus (" + s.numeraire + ")", surplus_bars, xs, label);
  o << "<h2>Value extracted per block (adversarial)</h2>\n"
    << bar_chart("extracted (" + s.numeraire + ")", extracted, xs, label);
}

void write_price_paths(std::ostream& o, const Study& s) {
  o << "<h2>Price paths</h2><p class=\"note\">The batch price path (the reference) and each pool's spot price "
       "after the block's swaps under each rule.</p>\n";
  std::map<PoolId, std::vector<const PoolRow*>> by_pool;
  for (const PoolRow& p : s.pools) by_pool[p.pool].push_back(&p);
  for (const auto& [id, rows] : by_pool) {
    std::vector<Series> series{{"batch price", {}}, {"fcfs spot", {}}, {"adversarial spot", {}}};
    std::vector<std::uint64_t> pxs;
    for (const auto& [b0, b1] : buckets(rows.size())) {
      const PoolRow& p = *rows[b1 - 1];
      series[0].values.push_back(display_price_value(s, id, p.reference));
      series[1].values.push_back(display_price_value(s, id, p.spot_after[1]));
      series[2].values.push_back(display_price_value(s, id, p.spot_after[2]));
      pxs.push_back(p.height);
    }
    auto price_label = [&](const Rational& v) { return fixed(v, 0, 4); };
    o << line_chart(pool_name(id) + " (" + id.second + " per " + id.first + ")", series, pxs, price_label);
  }
}

void write_top_sandwiches(std::ostream& o, const Study& s) {
  o << "<h2>Largest sandwiches</h2>\n";
  std::vector<const SandwichRow*> top;
  for (const SandwichRow& w : s.sandwiches) top.push_back(&w);
  std::stable_sort(top.begin(), top.end(),
                   [](const SandwichRow* a, const SandwichRow* b) { return a->profit > b->profit; });
  if (top.size() > 20) top.resize(20);
  if (top.empty()) {
    o << "<p class=\"note\">None: no swap left room between its limit and the pool price that paid a searcher.</p>\n";
    return;
  }
  o << "<table><tr><th>block</th><th>victim</th><th>pool</th><th>front-run in</th><th>profit</th></tr>\n";
  for (const SandwichRow* w : top) {
    o << "<tr><td>" << w->height << "</td><td><code>" << w->victim.hex().substr(0, 16) << "</code></td><td>"
      << esc(pool_name(w->pool)) << "</td><td>" << fixed(Rational(BigInt(w->front_in)), s.decimals.at(w->asset_in), 6)
      << " " << esc(w->asset_in) << "</td><td>" << esc(money_label(s, w->profit)) << "</td></tr>\n";
  }
  o << "</table>\n";
}

}  // namespace

std::string report_html(const Study& s) {
  std::ostringstream o;
  write_head(o, s);
  write_summary(o, s, totals(s));
  write_block_charts(o, s);
  write_price_paths(o, s);
  write_top_sandwiches(o, s);
  o << "<p class=\"note\">Data: intents.csv, blocks.csv, pools.csv, sandwiches.csv, report.json beside this file.</p>\n"
    << "</body></html>\n";
  return o.str();
}

}  // namespace pactum::analysis
