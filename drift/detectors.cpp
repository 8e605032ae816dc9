// Detector registry: to add a detector, write its `<name>_info()` and
// `make_<name>()` and add one line to kRegistry, with the inputs it may watch.
#include <algorithm>
#include <stdexcept>
#include <utility>

#include "drift/det_adwin.hpp"
#include "drift/det_cusum.hpp"
#include "drift/det_ddm.hpp"
#include "drift/det_eddm.hpp"
#include "drift/det_feature_bank.hpp"
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

// What a detector may watch (DetectorSpec::input). Errors: every detector.
// Confidence (a real in [0, 1]): not the tests of a 0/1 stream — DDM's binomial
// deviation and EDDM's distance between errors mean nothing on it; HDDM's and
// ADWIN's Hoeffding-type bounds hold for any value in [0, 1]. Features (reals
// of any range): the multivariate test natively; a scalar test made for
// unbounded reals through a per-component FeatureBank; not the tests whose
// bounds assume [0, 1].
enum Input : unsigned { kErrors = 1, kFeatures = 2, kConfidence = 4 };
constexpr unsigned kReal = kErrors | kFeatures | kConfidence;
constexpr unsigned kBounded = kErrors | kConfidence;

struct DetectorEntry {
  ComponentInfo (*info)();
  std::unique_ptr<Detector> (*make)(const Params&);
  unsigned inputs;
};

constexpr DetectorEntry kRegistry[] = {
    {page_hinkley_info, make_page_hinkley, kReal},  // first: the scenario default
    {cusum_info, make_cusum, kReal},
    {ddm_info, make_ddm, kErrors},
    {eddm_info, make_eddm, kErrors},
    {hddm_a_info, make_hddm_a, kBounded},
    {hddm_w_info, make_hddm_w, kBounded},
    {adwin_info, make_adwin, kBounded},
    {kswin_info, make_kswin, kReal},
    {ici_info, make_ici, kReal},
    {loglik_info, make_loglik, kReal},
};

constexpr std::pair<const char*, Input> kInputNames[] = {
    {"errors", kErrors}, {"features", kFeatures}, {"confidence", kConfidence}};

const DetectorEntry& entry(const std::string& kind) {
  for (const auto& e : kRegistry)
    if (e.info().name == kind) return e;
  throw std::invalid_argument("unknown detector: '" + kind + "'");
}

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

std::vector<std::string> detector_inputs(const std::string& kind) {
  const unsigned inputs = entry(kind).inputs;
  std::vector<std::string> names;
  for (const auto& [name, bit] : kInputNames)
    if (inputs & bit) names.emplace_back(name);
  return names;
}

std::unique_ptr<Detector> make_detector(const DetectorSpec& spec, int features) {
  const std::vector<std::string> ok = detector_inputs(spec.kind);
  if (std::find(ok.begin(), ok.end(), spec.input) == ok.end())
    throw std::invalid_argument("detector '" + spec.kind + "' cannot watch '" + spec.input + "'");
  std::unique_ptr<Detector> det = make_detector(spec.kind, spec.params);
  if (spec.input != "features" || det->multivariate()) return det;
  if (features < 1) throw std::invalid_argument("detector input 'features': the stream has none");
  std::vector<std::unique_ptr<Detector>> copies;
  copies.push_back(std::move(det));
  for (int i = 1; i < features; ++i) copies.push_back(make_detector(spec.kind, spec.params));
  return std::make_unique<FeatureBank>(std::move(copies));
}

}  // namespace tinyfleet
