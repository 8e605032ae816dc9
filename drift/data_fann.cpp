// FANN's training-data text format (libfann-doc's example data sets).
#include <algorithm>
#include <sstream>

#include "drift/data_readers.hpp"
#include "drift/data_text.hpp"

namespace tinyfleet {

Dataset read_fann(const std::string& path) {
  const auto bytes = read_file_maybe_gz(path);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  long long n = 0, n_in = 0, n_out = 0;
  if (!(in >> n >> n_in >> n_out) || n < 1 || n_in < 1 || n_out < 1 || n > 100000000 ||
      n_in > 100000 || n_out > 100000)
    data_fail(path, "first line must be 'samples inputs outputs' (three positive integers)");
  Dataset ds;
  ds.n = static_cast<int>(n);
  ds.d = static_cast<int>(n_in);
  ds.classes = static_cast<int>(n_out);
  ds.x.resize(static_cast<std::size_t>(n * n_in));
  ds.y.resize(static_cast<std::size_t>(n));
  std::vector<double> out(static_cast<std::size_t>(n_out));
  for (long long i = 0; i < n; ++i) {
    for (long long j = 0; j < n_in; ++j) {
      double v = 0;
      if (!(in >> v))
        data_fail(path, "sample " + std::to_string(i + 1) + ": expected " + std::to_string(n_in) +
                            " inputs (file truncated or not numeric)");
      ds.x[static_cast<std::size_t>(i * n_in + j)] = static_cast<float>(v);
    }
    for (auto& v : out)
      if (!(in >> v))
        data_fail(path, "sample " + std::to_string(i + 1) + ": expected " + std::to_string(n_out) +
                            " outputs (file truncated or not numeric)");
    ds.y[static_cast<std::size_t>(i)] =
        static_cast<int>(std::max_element(out.begin(), out.end()) - out.begin());
  }
  double extra = 0;
  if (in >> extra)
    data_fail(path, "more numbers than the header's " + std::to_string(n) + " samples");
  fill_ranges(ds);
  return ds;
}

Dataset concat_datasets(Dataset a, const Dataset& b) {
  if (a.d != b.d || a.classes != b.classes)
    throw DatasetError("cannot append a data set of another shape");
  a.x.insert(a.x.end(), b.x.begin(), b.x.end());
  a.y.insert(a.y.end(), b.y.begin(), b.y.end());
  a.n += b.n;
  fill_ranges(a);
  return a;
}

}  // namespace tinyfleet
