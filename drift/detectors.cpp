// Detector registry: to add a detector, write its `<name>_info()` and
// `make_<name>()` and add one line to kRegistry.
#include <stdexcept>

#include "drift/detector.hpp"
#include "drift/page_hinkley.hpp"
#include "drift/param_check.hpp"

namespace tinyfleet {

namespace {

struct DetectorEntry {
  ComponentInfo (*info)();
  std::unique_ptr<Detector> (*make)(const Params&);
};

constexpr DetectorEntry kRegistry[] = {
    {page_hinkley_info, make_page_hinkley},
};

}  // namespace

const std::vector<ComponentInfo>& detector_catalog() {
  static const std::vector<ComponentInfo> catalog = [] {
    std::vector<ComponentInfo> v;
    for (const auto& e : kRegistry) v.push_back(e.info());
    return v;
  }();
  return catalog;
}

std::unique_ptr<Detector> make_detector(const std::string& kind, const Params& params) {
  const auto& catalog = detector_catalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    if (catalog[i].name != kind) continue;
    check_resolved_params("detector '" + kind + "'", catalog[i].params, params);
    return kRegistry[i].make(params);
  }
  throw std::invalid_argument("unknown detector: '" + kind + "'");
}

}  // namespace tinyfleet
