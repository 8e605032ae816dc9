#include "scenarios/availability_trace.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "scenarios/units.hpp"

namespace tinyfleet {
namespace {
std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream row(line);
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(trim(cell));
  return cells;
}
}  // namespace

bool AvailabilityTrace::covers(int device, double t) const {
  if (device < 0 || static_cast<std::size_t>(device) >= intervals.size()) return false;
  const auto& iv = intervals[static_cast<std::size_t>(device)];
  // The last interval starting at or before t.
  auto it =
      std::upper_bound(iv.begin(), iv.end(), t,
                       [](double v, const std::pair<double, double>& p) { return v < p.first; });
  return it != iv.begin() && t < std::prev(it)->second;
}

AvailabilityTrace parse_availability_trace(const std::string& text,
                                           const std::vector<std::string>& names) {
  std::map<std::string, int> id_of;
  for (std::size_t i = 0; i < names.size(); ++i) id_of[names[i]] = static_cast<int>(i);
  AvailabilityTrace trace;
  trace.intervals.resize(names.size());
  std::stringstream in(text);
  std::string line;
  bool header = false;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto fail = [line_no](const std::string& m) {
      throw std::invalid_argument("line " + std::to_string(line_no) + ": " + m);
    };
    const auto cells = cells_of(t);
    if (!header) {
      if (cells != std::vector<std::string>{"device", "start", "end"})
        fail("the header must be 'device,start,end'");
      header = true;
      continue;
    }
    if (cells.size() != 3)
      fail("expected 3 fields (device,start,end), found " + std::to_string(cells.size()));
    int id = -1;
    if (auto n = id_of.find(cells[0]); n != id_of.end()) {
      id = n->second;
    } else if (auto v = parse_integer(cells[0]);
               v && *v >= 0 && *v < static_cast<long long>(names.size())) {
      id = static_cast<int>(*v);
    } else {
      fail("no device '" + cells[0] + "' (a name such as '" +
           (names.empty() ? std::string("group/0") : names.front()) + "' or an id 0.." +
           std::to_string(static_cast<long long>(names.size()) - 1) + ")");
    }
    double start = 0, end = 0;
    try {
      start = parse_duration(cells[1]);
      end = parse_duration(cells[2]);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
    if (start < 0 || end <= start) fail("the interval must have 0 <= start < end");
    trace.intervals[static_cast<std::size_t>(id)].emplace_back(start, end);
  }
  if (!header)
    throw std::invalid_argument("line 1: empty trace (needs a 'device,start,end' header)");
  for (std::size_t id = 0; id < trace.intervals.size(); ++id) {
    auto& iv = trace.intervals[id];
    std::sort(iv.begin(), iv.end());
    for (std::size_t k = 1; k < iv.size(); ++k)
      if (iv[k].first < iv[k - 1].second)
        throw std::invalid_argument("device '" + names[id] + "' has overlapping intervals");
  }
  return trace;
}

}  // namespace tinyfleet
