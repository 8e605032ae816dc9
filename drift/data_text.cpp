#include "drift/data_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tinyfleet {

void data_fail(const std::string& path, const std::string& what) {
  throw DatasetError(path + ": " + what);
}

std::string trim_cell(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n'))
    --b;
  std::string t = s.substr(a, b - a);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
  return t;
}

std::vector<std::string> split_data_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      cells.push_back(trim_cell(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  cells.push_back(trim_cell(cur));
  return cells;
}

bool parse_finite(const std::string& s, float& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtof(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

void fill_ranges(Dataset& ds) {
  const auto d = static_cast<std::size_t>(ds.d);
  if (ds.x.size() < d || d == 0) return;
  ds.lo.assign(ds.x.begin(), ds.x.begin() + static_cast<std::ptrdiff_t>(d));
  ds.hi = ds.lo;
  for (std::size_t i = 0; i < ds.x.size(); ++i) {
    const std::size_t j = i % d;
    ds.lo[j] = std::min(ds.lo[j], ds.x[i]);
    ds.hi[j] = std::max(ds.hi[j], ds.x[i]);
  }
}

}  // namespace tinyfleet
