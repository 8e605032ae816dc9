#pragma once
// R data files (.rda, RDX2 serialisation) as a table of columns: the file is
// xz-decompressed with liblzma (Debian's librdata is built without xz), then
// parsed by librdata's rdata_parse (taxonomy.md §4, "The .rda files").
#include <string>
#include <vector>

#include "drift/dataset.hpp"

namespace tinyfleet {

struct RColumn {
  std::string name;
  bool factor = false;              // INT32 codes 1..levels.size() with level names
  std::vector<double> values;       // REAL/INT32/LOGICAL as numbers (factors: 0-based codes)
  std::vector<std::string> levels;  // factor level names
};

// The first data frame in `path` (xz-compressed or not). Throws DatasetError
// naming the file (missing, corrupt xz, librdata error, ragged columns).
std::vector<RColumn> read_rda_table(const std::string& path);

// A labelled data set from an .rda data frame: `label` names the class column
// (a factor), `group` an optional group column (kept as Dataset::group, not as
// a feature, e.g. Vowel's speaker "V1"; group_name is how scenarios call it);
// every other column is a feature (factors as their 0-based codes).
Dataset rda_dataset(const std::string& path, const std::string& label, const std::string& group,
                    const std::string& group_name);

}  // namespace tinyfleet
