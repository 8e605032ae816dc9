// Generator registry: to add a generator, write its `<name>_info()` and
// `make_<name>()` and add one line to kRegistry.
#include <stdexcept>

#include "drift/param_check.hpp"
#include "drift/sea.hpp"
#include "drift/stream.hpp"

namespace tinyfleet {

namespace {

struct GeneratorEntry {
  ComponentInfo (*info)();
  std::unique_ptr<Generator> (*make)(const Params&, uint64_t);
};

constexpr GeneratorEntry kRegistry[] = {
    {sea_info, make_sea},
};

}  // namespace

const std::vector<ComponentInfo>& generator_catalog() {
  static const std::vector<ComponentInfo> catalog = [] {
    std::vector<ComponentInfo> v;
    for (const auto& e : kRegistry) v.push_back(e.info());
    return v;
  }();
  return catalog;
}

std::unique_ptr<Generator> make_generator(const std::string& name, const Params& params,
                                          uint64_t seed) {
  const auto& catalog = generator_catalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    if (catalog[i].name != name) continue;
    check_resolved_params("generator '" + name + "'", catalog[i].params, params);
    return kRegistry[i].make(params, seed);
  }
  throw std::invalid_argument("unknown generator: '" + name + "'");
}

}  // namespace tinyfleet
