// The real catalog and the embedded quickstart: kept apart from loader.cpp so
// the loader can be built and tested without the component libraries.
#include "devices/link_preset.hpp"
#include "devices/profile.hpp"
#include "drift/detector.hpp"
#include "drift/stream.hpp"
#include "learners/learner.hpp"
#include "scenarios/embedded.hpp"
#include "scenarios/loader.hpp"

namespace tinyfleet {

SchemaCatalog default_schema_catalog() {
  SchemaCatalog catalog;
  catalog.generators = generator_catalog();
  catalog.learners = learner_catalog();
  catalog.detectors = detector_catalog();
  for (const auto& d : catalog.detectors) catalog.detector_inputs[d.name] = detector_inputs(d.name);
  for (const auto& board : board_catalog()) catalog.boards.push_back(board.name);
  for (const auto& link : link_presets()) catalog.links.push_back(link.name);
  return catalog;
}

Scenario load_builtin_quickstart(const SchemaCatalog& catalog) {
  return parse_scenario(embedded_files().at("scenarios/quickstart.yaml"),
                        "<builtin>/scenarios/quickstart.yaml", catalog);
}

}  // namespace tinyfleet
