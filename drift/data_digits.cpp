// The 8×8 digits (UCI optdigits test half as shipped by scikit-learn).
#include <algorithm>
#include <sstream>

#include "drift/data_readers.hpp"
#include "drift/data_text.hpp"

namespace tinyfleet {

Dataset read_digits_csv(const std::string& path) {
  const auto bytes = read_file_maybe_gz(path);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  Dataset ds;
  std::string line;
  int lineno = 0, maxy = -1;
  while (std::getline(in, line)) {
    ++lineno;
    if (trim_cell(line).empty()) continue;
    const auto cells = split_data_csv_line(line);
    if (ds.d == 0) ds.d = static_cast<int>(cells.size()) - 1;
    if (ds.d < 1 || static_cast<int>(cells.size()) != ds.d + 1)
      data_fail(path, "line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                          " cells, expected " + std::to_string(ds.d + 1) +
                          " (pixels, then the label)");
    for (std::size_t c = 0; c < cells.size(); ++c) {
      float v = 0;
      if (!parse_finite(cells[c], v) || v < 0 || v != static_cast<float>(static_cast<int>(v)))
        data_fail(path, "line " + std::to_string(lineno) + ", cell " + std::to_string(c + 1) +
                            ": not a non-negative integer: '" + cells[c] + "'");
      if (c + 1 < cells.size()) {
        ds.x.push_back(v);
      } else {
        ds.y.push_back(static_cast<int>(v));
        maxy = std::max(maxy, ds.y.back());
      }
    }
  }
  if (ds.y.empty()) data_fail(path, "no data rows");
  ds.n = static_cast<int>(ds.y.size());
  ds.classes = maxy + 1;
  ds.lo.assign(static_cast<std::size_t>(ds.d), 0.f);  // the pixel range of the format
  ds.hi.assign(static_cast<std::size_t>(ds.d), 16.f);
  return ds;
}

}  // namespace tinyfleet
