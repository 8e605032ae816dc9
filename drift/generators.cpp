// Generator registry: to add a generator, write its `<name>_info()` and
// `make_<name>()` and add one line to kRegistry.
#include <stdexcept>

#include "drift/data_catalog.hpp"
#include "drift/dataset.hpp"
#include "drift/gen_agrawal.hpp"
#include "drift/gen_gaussian_mixture.hpp"
#include "drift/gen_hyperplane.hpp"
#include "drift/gen_led.hpp"
#include "drift/gen_led_drift.hpp"
#include "drift/gen_mixed.hpp"
#include "drift/gen_random_rbf.hpp"
#include "drift/gen_random_rbf_drift.hpp"
#include "drift/gen_sine.hpp"
#include "drift/gen_stagger.hpp"
#include "drift/gen_waveform.hpp"
#include "drift/gen_waveform_drift.hpp"
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
    {sea_info, make_sea},  // first: tests and docs rely on "sea" being entry 0
    {stagger_info, make_stagger},
    {hyperplane_info, make_hyperplane},
    {random_rbf_info, make_random_rbf},
    {random_rbf_drift_info, make_random_rbf_drift},
    {agrawal_info, make_agrawal},
    {led_info, make_led},
    {led_drift_info, make_led_drift},
    {sine_info, make_sine},
    {mixed_info, make_mixed},
    {waveform_info, make_waveform},
    {waveform_drift_info, make_waveform_drift},
    {gaussian_mixture_info, make_gaussian_mixture},
    {fashion_mnist_info, make_fashion_mnist},  // replay of real data (drift/dataset.hpp)
    {csv_dataset_info, make_csv_dataset},
    {dataset_generator_info, make_dataset_generator},  // catalogued real data (data_catalog.hpp)
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
