// The self-contained HTML report: inline CSS and SVG charts, no script, nothing fetched.
// Internal to analysis/.
#pragma once
#include <string>

#include "pactum/analysis/analysis.hpp"

namespace pactum::analysis {
std::string report_html(const Study& s);
}
