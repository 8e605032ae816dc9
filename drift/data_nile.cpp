// The Nile's annual flow at Aswan, 1871–1970 (statsmodels): a scalar series
// with a known change point (the 1898 dam; taxonomy.md §4).
#include <sstream>

#include "drift/data_readers.hpp"
#include "drift/data_text.hpp"

namespace tinyfleet {

std::vector<double> read_nile_series(const std::string& path) {
  const auto bytes = read_file_maybe_gz(path);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::string line;
  if (!std::getline(in, line) ||
      split_data_csv_line(line) != std::vector<std::string>{"year", "volume"})
    data_fail(path, "header is not year,volume");
  std::vector<double> values;
  float last_year = 0;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (trim_cell(line).empty()) continue;
    const auto cells = split_data_csv_line(line);
    float year = 0, volume = 0;
    if (cells.size() != 2 || !parse_finite(cells[0], year) || !parse_finite(cells[1], volume))
      data_fail(path, "line " + std::to_string(lineno) + ": expected 'year,volume'");
    if (!values.empty() && year <= last_year)
      data_fail(path, "line " + std::to_string(lineno) + ": years must increase");
    last_year = year;
    values.push_back(volume);
  }
  if (values.empty()) data_fail(path, "no data rows");
  return values;
}

}  // namespace tinyfleet
