// Seattle daily weather 2012–2015 (vega-datasets), kept in date order with its
// measured label-source switch (taxonomy.md §4).
#include <algorithm>
#include <sstream>

#include "drift/data_readers.hpp"
#include "drift/data_text.hpp"

namespace tinyfleet {

Dataset read_seattle_weather(const std::string& path) {
  const auto bytes = read_file_maybe_gz(path);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::string line;
  if (!std::getline(in, line)) data_fail(path, "empty file");
  const std::vector<std::string> expected = {"date",     "precipitation", "temp_max",
                                             "temp_min", "wind",          "weather"};
  if (split_data_csv_line(line) != expected)
    data_fail(path, "header is not date,precipitation,temp_max,temp_min,wind,weather");
  Dataset ds;
  ds.d = 4;
  std::vector<std::string> labels, dates;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (trim_cell(line).empty()) continue;
    const auto cells = split_data_csv_line(line);
    if (cells.size() != expected.size())
      data_fail(path, "line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                          " cells, expected 6");
    for (std::size_t c = 1; c <= 4; ++c) {
      float v = 0;
      if (!parse_finite(cells[c], v))
        data_fail(path, "line " + std::to_string(lineno) + ", column '" + expected[c] +
                            "': not a finite number: '" + cells[c] + "'");
      ds.x.push_back(v);
    }
    if (!dates.empty() && cells[0] <= dates.back())
      data_fail(path, "line " + std::to_string(lineno) + ": date " + cells[0] + " is not after " +
                          dates.back() + " (rows must be in date order)");
    dates.push_back(cells[0]);
    labels.push_back(cells[5]);
  }
  if (labels.size() <= static_cast<std::size_t>(kSeattleSwitchRow))
    data_fail(path, std::to_string(labels.size()) + " rows: too few to hold the 2013 label switch");
  ds.n = static_cast<int>(labels.size());
  ds.class_names = labels;
  std::sort(ds.class_names.begin(), ds.class_names.end());
  ds.class_names.erase(std::unique(ds.class_names.begin(), ds.class_names.end()),
                       ds.class_names.end());
  ds.classes = static_cast<int>(ds.class_names.size());
  for (const auto& s : labels)
    ds.y.push_back(
        static_cast<int>(std::lower_bound(ds.class_names.begin(), ds.class_names.end(), s) -
                         ds.class_names.begin()));
  fill_ranges(ds);
  ds.time_ordered = true;
  ds.change_rows = {kSeattleSwitchRow};
  return ds;
}

}  // namespace tinyfleet
