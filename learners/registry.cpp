// The learner registry: one row per kernel (name, help, parameters, factory).
// A new kernel adds one row to kLearners.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "learners/areba.hpp"
#include "learners/bnn.hpp"
#include "learners/knn.hpp"
#include "learners/latent_replay.hpp"
#include "learners/learner.hpp"
#include "learners/mlp_sgd.hpp"
#include "learners/ncm.hpp"
#include "learners/nitro.hpp"
#include "learners/static_learner.hpp"
#include "learners/tifed.hpp"
#include "learners/tinyol.hpp"
#include "learners/tybox.hpp"

namespace tinyfleet {
namespace {

using Factory = std::unique_ptr<Learner> (*)(const Params&, const StreamInfo&, uint64_t seed);

struct Entry {
  const char* name;
  const char* help;
  std::vector<ParamSpec> (*params)();
  Factory make;
};

const Entry kLearners[] = {
    {"knn",
     "TML-CD kNN over a bounded int8 knowledge base; passive (condensed) and active "
     "(drop pre-change entries) adaptation",
     &KnnLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t) -> std::unique_ptr<Learner> {
       return std::make_unique<KnnLearner>(KnnLearner::config_from(p), info);
     }},
    {"static", "kNN that learns only during a warm-up and ignores drift (baseline)",
     &StaticLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t) -> std::unique_ptr<Learner> {
       return std::make_unique<StaticLearner>(KnnLearner::base_config_from(p),
                                              StaticLearner::warmup_from(p), info);
     }},
    {"tifed",
     "TIFeD integer-only MLP (pocket tanh) trained with integer direct feedback alignment; "
     "federation via export/import of its int32 parameters",
     &TifedLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t) -> std::unique_ptr<Learner> {
       return std::make_unique<TifedLearner>(TifedLearner::config_from(p), info);
     }},
    {"mlp",
     "float d-hidden-C MLP trained by minibatch SGD with momentum over a buffer (TIFeD's "
     "schedule); federation by float FedAvg of its fp32 parameters",
     &MlpSgdLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t) -> std::unique_ptr<Learner> {
       return std::make_unique<MlpSgdLearner>(MlpSgdLearner::config_from(p), info);
     }},
    {"nitro",
     "NITRO-D integer-only MLP: NITRO scaling + LeakyReLU blocks trained by local integer losses "
     "with IntegerSGD (integer lr and weight-decay divisors)",
     &NitroLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<NitroLearner>(NitroLearner::config_from(p), info, seed);
     }},
    {"areba",
     "AREBA: float d-8-1 MLP trained (Adam, one full-batch epoch per label) on class queues "
     "adaptively rebalanced under a budget (Malialis et al., TNNLS 2020)",
     [] { return ArebaLearner::param_specs(false); },
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<ArebaLearner>(
           ArebaLearner::config_from(p, RebalanceRule::Areba, false), info, seed);
     }},
    {"qbr", "QBR: AREBA's queues with fixed growth to B/C items per class (baseline)",
     [] { return ArebaLearner::param_specs(false); },
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<ArebaLearner>(
           ArebaLearner::config_from(p, RebalanceRule::Qbr, false), info, seed);
     }},
    {"hareba",
     "HAREBA: AREBA plus active adaptation; a detection flushes each class queue to its newest "
     "items and keeps the model",
     [] { return ArebaLearner::param_specs(true); },
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<ArebaLearner>(
           ArebaLearner::config_from(p, RebalanceRule::Areba, true), info, seed);
     }},
    {"tinyol",
     "TinyOL: fp32 online SGD of a last layer over a frozen (seeded random-projection) front end",
     &TinyOlLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<TinyOlLearner>(TinyOlLearner::config_from(p), info, seed);
     }},
    {"tybox",
     "TyBox: frozen fp32 feature extractor + FIFO buffer of labelled feature vectors, the head "
     "retrained by SGD over the buffer per label (passive); update: on_detection makes it "
     "active-only (an alarm flushes the buffer, the next labels refill it)",
     &TyBoxLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<TyBoxLearner>(TyBoxLearner::config_from(p), info, seed);
     }},
    {"replay",
     "quantized latent replay: TinyOL's last layer rehearsing a reservoir of latent vectors "
     "(1-8 bit or fp32; class-incremental learning)",
     &LatentReplayLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<LatentReplayLearner>(LatentReplayLearner::config_from(p), info,
                                                    seed);
     }},
    {"ncm",
     "nearest-class-mean few-shot prototypes with open-set rejection (unknown = label `classes`) "
     "and on-device class addition",
     &NcmLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<NcmLearner>(NcmLearner::config_from(p), info, seed);
     }},
    {"bnn",
     "fully binary MLP (XNOR/popcount, integer hidden weights) trained with frozen random "
     "binary classifiers' local error signals, grouped sparse update and metaplasticity",
     &BnnLearner::param_specs,
     [](const Params& p, const StreamInfo& info, uint64_t seed) -> std::unique_ptr<Learner> {
       return std::make_unique<BnnLearner>(BnnLearner::config_from(p, seed), info);
     }},
};

// Rejects keys the kernel does not declare (a typo must not fall back to a default).
void reject_unknown(const std::string& kind, const Params& p, const std::vector<ParamSpec>& specs) {
  auto declared = [&](const std::string& key) {
    return std::any_of(specs.begin(), specs.end(),
                       [&](const ParamSpec& s) { return s.name == key; });
  };
  for (const auto& [key, value] : p.numbers)
    if (!declared(key))
      throw std::invalid_argument("learner " + kind + ": unknown parameter " + key);
  for (const auto& [key, value] : p.strings)
    if (!declared(key))
      throw std::invalid_argument("learner " + kind + ": unknown parameter " + key);
}

}  // namespace

const std::vector<ComponentInfo>& learner_catalog() {
  static const std::vector<ComponentInfo> catalog = [] {
    std::vector<ComponentInfo> c;
    for (const auto& e : kLearners) c.push_back({e.name, e.help, e.params()});
    return c;
  }();
  return catalog;
}

std::unique_ptr<Learner> make_learner(const LearnerSpec& spec, const StreamInfo& info,
                                      uint64_t seed) {
  for (const auto& e : kLearners) {
    if (spec.kind != e.name) continue;
    reject_unknown(spec.kind, spec.params, e.params());
    return e.make(spec.params, info, seed);
  }
  std::string known;
  for (const auto& e : kLearners) known += (known.empty() ? "" : ", ") + std::string(e.name);
  throw std::invalid_argument("unknown learner '" + spec.kind + "' (known: " + known + ")");
}

}  // namespace tinyfleet
