// Detector registry: to add a detector, write its `<name>_info()` and
// `make_<name>()` and add one line to kRegistry.
#include <stdexcept>

#include "drift/det_adwin.hpp"
#include "drift/det_cusum.hpp"
#include "drift/det_ddm.hpp"
#include "drift/det_eddm.hpp"
#include "drift/det_hddm_a.hpp"
#include "drift/det_hddm_w.hpp"
#include "drift/det_ici.hpp"
#include "drift/det_kswin.hpp"
#include "drift/det_loglik.hpp"
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
    {page_hinkley_info, make_page_hinkley},  // first: the scenario default
    {cusum_info, make_cusum},
    {ddm_info, make_ddm},
    {eddm_info, make_eddm},
    {hddm_a_info, make_hddm_a},
    {hddm_w_info, make_hddm_w},
    {adwin_info, make_adwin},
    {kswin_info, make_kswin},
    {ici_info, make_ici},
    {loglik_info, make_loglik},
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
