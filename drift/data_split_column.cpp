// `split: column`: one device per value of a data set's group column (Vowel's
// speaker), the natural non-IID split of per-user data (taxonomy.md §2, E1/E8).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "drift/dataset.hpp"

namespace tinyfleet {

std::vector<std::vector<int>> partition_by_column(const Dataset& data, const SplitConfig& cfg) {
  if (data.group.empty() || data.groups <= 0)
    throw std::invalid_argument(
        "split: column needs a data set with a group column (e.g. vowel's speaker); this one "
        "has none");
  std::vector<int> values = cfg.values;
  if (values.empty())
    for (int g = 0; g < data.groups; ++g) values.push_back(g);
  for (int v : values)
    if (v < 0 || v >= data.groups)
      throw std::invalid_argument("split: " + data.group_column + " " + std::to_string(v) +
                                  " outside 0.." + std::to_string(data.groups - 1));
  if (cfg.devices > static_cast<int>(values.size()))
    throw std::invalid_argument("split: column deals one " + data.group_column +
                                " per device, but " + std::to_string(cfg.devices) +
                                " devices share " + std::to_string(values.size()) + " value(s)");
  // Which device (if any) replays each group value; a value listed twice is an error.
  std::vector<int> owner(static_cast<std::size_t>(data.groups), -1);
  for (int dv = 0; dv < cfg.devices; ++dv) {
    int& o = owner[static_cast<std::size_t>(values[static_cast<std::size_t>(dv)])];
    if (o >= 0)
      throw std::invalid_argument("split: " + data.group_column + " " +
                                  std::to_string(values[static_cast<std::size_t>(dv)]) +
                                  " is listed twice");
    o = dv;
  }
  std::vector<std::vector<int>> parts(static_cast<std::size_t>(cfg.devices));
  for (int i = 0; i < data.n; ++i) {
    const int o = owner[static_cast<std::size_t>(data.group[static_cast<std::size_t>(i)])];
    if (o >= 0) parts[static_cast<std::size_t>(o)].push_back(i);
  }
  for (std::size_t dv = 0; dv < parts.size(); ++dv)
    if (parts[dv].empty())
      throw std::invalid_argument("split: " + data.group_column + " " + std::to_string(values[dv]) +
                                  " has no rows");
  return parts;
}

}  // namespace tinyfleet
