// The `dataset` generator: a catalogued real data set (drift/data_catalog.hpp)
// replayed as a device's stream.
#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "drift/data_catalog.hpp"
#include "drift/data_tasks.hpp"

namespace tinyfleet {
namespace {

// "8,9,10" or "8-14" or a mix ("0-3,7") → the values in the order given.
std::vector<int> parse_values(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto dash = item.find('-', 1);
    try {
      std::size_t used = 0;
      const int a = std::stoi(item.substr(0, dash), &used);
      int b = a;
      if (dash != std::string::npos) b = std::stoi(item.substr(dash + 1));
      if (b < a || b - a > 1000000) throw std::invalid_argument("range");
      for (int v = a; v <= b; ++v) out.push_back(v);
    } catch (const std::exception&) {
      throw std::invalid_argument(
          "dataset: `values` must list integers or ranges like '0-7,9', "
          "not '" +
          text + "'");
    }
  }
  return out;
}

// "4:6,6:4" → label map (identity elsewhere); every class must exist.
std::vector<int> parse_relabel(const std::string& text, int classes) {
  std::vector<int> map(static_cast<std::size_t>(std::max(classes, 0)));
  for (int c = 0; c < classes; ++c) map[static_cast<std::size_t>(c)] = c;
  std::vector<bool> set(map.size(), false);
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto colon = item.find(':');
    int from = -1, to = -1;
    try {
      if (colon == std::string::npos) throw std::invalid_argument("no colon");
      std::size_t used = 0;
      from = std::stoi(item.substr(0, colon), &used);
      if (used != colon) throw std::invalid_argument("junk");
      to = std::stoi(item.substr(colon + 1), &used);
      if (used != item.size() - colon - 1) throw std::invalid_argument("junk");
    } catch (const std::exception&) {
      throw std::invalid_argument(
          "dataset: `relabel` must list pairs FROM:TO like '4:6,6:4', not '" + text + "'");
    }
    if (from < 0 || from >= classes || to < 0 || to >= classes)
      throw std::invalid_argument("dataset: `relabel` pair '" + item +
                                  "' names a class outside 0.." + std::to_string(classes - 1));
    if (set[static_cast<std::size_t>(from)])
      throw std::invalid_argument("dataset: `relabel` maps class " + std::to_string(from) +
                                  " twice");
    set[static_cast<std::size_t>(from)] = true;
    map[static_cast<std::size_t>(from)] = to;
  }
  return map;
}

// A real concept change on real data: the replayed rows keep their features
// and their labels go through `map` (TyBox's class swap, taxonomy.md §2 E2).
class RelabelledReplay final : public Generator {
 public:
  RelabelledReplay(std::unique_ptr<Generator> inner, std::vector<int> map)
      : inner_(std::move(inner)), map_(std::move(map)) {}
  const StreamInfo& info() const override { return inner_->info(); }
  int next(float* x) override {
    const int y = inner_->next(x);
    return y >= 0 && static_cast<std::size_t>(y) < map_.size() ? map_[static_cast<std::size_t>(y)]
                                                               : y;
  }

 private:
  std::unique_ptr<Generator> inner_;
  std::vector<int> map_;
};

}  // namespace

ComponentInfo dataset_generator_info() {
  using T = ParamSpec::Type;
  std::vector<std::string> names;
  for (const auto& e : dataset_catalog())
    if (e.classes > 0) names.push_back(e.name);
  ComponentInfo info{
      "dataset",
      "replay of a real data set (`tinyfleet datasets` lists them; docs/DATASETS.md), split over "
      "the device group, shuffled or in its time order",
      {{"name", T::Choice, 0, 0, 0, names, "which data set"},
       {"subset",
        T::Choice,
        0,
        0,
        0,
        {"all", "train", "test"},
        "rows to replay: all, or the train/test file (thyroid, fashion_mnist)"},
       {"order",
        T::Choice,
        0,
        0,
        0,
        {"auto", "shuffle", "time"},
        "shuffle: a new random order every pass; time: data order (sample k = row k of the "
        "device's share; a data set's known change points become drift events); auto: time for "
        "data with a time order (seattle_weather), else shuffle"},
       {"passes",
        T::Choice,
        0,
        0,
        0,
        {"cycle", "once"},
        "cycle: start again after the last row; once: a single pass (a run longer than the "
        "device's rows is an error)"},
       {"column", T::Text, 0, 0, 0, {}, "group column for split: column (vowel: speaker)", ""},
       {"values",
        T::Text,
        0,
        0,
        0,
        {},
        "split: column: the column's values dealt to devices in order, e.g. '8-14' (empty: all, "
        "device i gets value i)",
        ""},
       {"dir",
        T::Text,
        0,
        0,
        0,
        {},
        "directory of the files (empty: $TINYFLEET_DATA_DIR or <build>/datasets)",
        ""},
       {"relabel",
        T::Text,
        0,
        0,
        0,
        {},
        "label map FROM:TO pairs, e.g. '4:6,6:4' swaps classes 4 and 6 (a real drift when a "
        "drift's `to` sets it; empty: labels as in the data)",
        ""}}};
  // Task-structured replay (drift/data_tasks.hpp, scenarios/FORMAT.md "Tasks").
  info.params.push_back({"classes_per_task",
                         T::Int,
                         0,
                         1000,
                         0,
                         {},
                         "class-incremental tasks of this many consecutive classes each "
                         "(0: no tasks, unless `tasks` lists them)"});
  info.params.push_back({"tasks",
                         T::Text,
                         0,
                         0,
                         0,
                         {},
                         "class-incremental tasks as class lists, e.g. '0,1;2,3;4-9' (empty: "
                         "classes_per_task)",
                         ""});
  info.params.push_back({"samples_per_task",
                         T::Int,
                         0,
                         1e9,
                         0,
                         {},
                         "samples each task is presented for (0: each of its training rows once)"});
  info.params.push_back({"probe_per_task",
                         T::Int,
                         0,
                         1e6,
                         200,
                         {},
                         "held-out probe rows per task and device (never streamed)"});
  for (auto& s : split_params()) info.params.push_back(std::move(s));
  return info;
}

std::unique_ptr<Generator> make_dataset_generator(const Params& params, uint64_t seed) {
  const std::string& name = params.string("name");
  std::shared_ptr<const Dataset> data;
  try {
    data = load_named_dataset(name, params.string("subset"), params.string("dir"));
  } catch (const DatasetError& e) {  // a set-up problem of the scenario's input
    throw std::invalid_argument(std::string("dataset '") + name + "': " + e.what());
  }
  SplitConfig cfg = split_config(params);
  if (cfg.kind == SplitKind::Column) {
    const std::string& column = params.string("column");
    if (data->group_column.empty() || column != data->group_column)
      throw std::invalid_argument("dataset '" + name + "': split: column needs `column: " +
                                  (data->group_column.empty()
                                       ? std::string("...`, but this data set has no group column")
                                       : data->group_column + "`, not '" + column + "'"));
    cfg.values = parse_values(params.string("values"));
  }
  if (params.number("classes_per_task") > 0 || !params.string("tasks").empty()) {
    if (!params.string("relabel").empty())
      throw std::invalid_argument("dataset '" + name + "': tasks take no `relabel`");
    TaskConfig tc;
    tc.classes = task_classes(params.string("tasks"),
                              static_cast<int>(params.number("classes_per_task")), data->classes);
    tc.samples_per_task = static_cast<int>(params.number("samples_per_task"));
    tc.probe_per_task = static_cast<int>(params.number("probe_per_task"));
    const int device = static_cast<int>(params.number("device"));
    if (device < 0 || device >= cfg.devices)
      throw std::invalid_argument("dataset '" + name + "': device outside the group");
    const auto parts = cached_partition(data, cfg);
    return std::make_unique<TaskReplay>(data, (*parts)[static_cast<std::size_t>(device)], tc, seed);
  }
  const std::string& order = params.string("order");
  ReplayOptions opt;
  opt.time_order = order == "time" || (order == "auto" && data->time_ordered);
  opt.once = params.string("passes") == "once";
  auto replay = std::make_unique<DatasetReplay>(
      data, cfg, static_cast<int>(params.number("device")), seed, opt);
  const std::string& relabel = params.string("relabel");
  if (relabel.empty()) return replay;
  auto map = parse_relabel(relabel, replay->info().classes);
  return std::make_unique<RelabelledReplay>(std::move(replay), std::move(map));
}

}  // namespace tinyfleet
