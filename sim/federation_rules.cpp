#include "sim/federation_rules.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "drift/rng.hpp"

namespace tinyfleet {
namespace {
// derive_seed purposes of the fleet server (fleet-level: 200+).
constexpr uint64_t kSelectSeed = 201;
constexpr uint64_t kAvailabilitySeed = 202;
constexpr uint64_t kDutyPhaseSeed = 203;
}  // namespace

std::vector<int> select_participants(const std::vector<int>& members, double fraction,
                                     uint64_t seed, uint64_t round) {
  const auto n = members.size();
  const auto k = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(n) - 1e-9)), 1, n);
  std::vector<int> pool = members;
  SplitMix64 rng(derive_seed(seed, round, kSelectSeed));
  for (std::size_t i = 0; i < k; ++i) {  // partial Fisher-Yates
    const std::size_t j = i + static_cast<std::size_t>(rng.next_below(n - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  std::sort(pool.begin(), pool.end());
  return pool;
}

bool available(const AvailabilitySpec& a, uint64_t seed, int device, uint64_t round, double t) {
  if (a.kind == "probability") {
    SplitMix64 rng(derive_seed(derive_seed(seed, static_cast<uint64_t>(device), kAvailabilitySeed),
                               round, kAvailabilitySeed));
    return rng.next_double() < a.probability;
  }
  if (a.kind == "duty_cycle") {
    SplitMix64 rng(derive_seed(seed, static_cast<uint64_t>(device), kDutyPhaseSeed));
    const double phase = rng.next_double() * a.period_s;
    return std::fmod(t + phase, a.period_s) < a.on_s;
  }
  if (a.kind == "trace") return a.trace.covers(device, t);
  return true;
}

Attempts draw_attempts(double loss, int max_retries, uint64_t seed, int device, uint64_t round,
                       uint64_t purpose) {
  if (loss <= 0) return {};
  SplitMix64 rng(
      derive_seed(derive_seed(seed, static_cast<uint64_t>(device), purpose), round, purpose));
  Attempts a{0, false};
  for (int i = 0; i <= max_retries; ++i) {
    ++a.sent;
    if (rng.next_double() >= loss) {
      a.delivered = true;
      break;
    }
  }
  return a;
}

int assigned_layer(int index, int members, int layers) {
  return static_cast<int>(static_cast<int64_t>(index) * layers / std::max(1, members));
}

std::optional<std::vector<int32_t>> integer_mean(
    const std::vector<const std::vector<int32_t>*>& us) {
  if (us.empty()) return std::nullopt;
  const std::size_t n = us.front()->size();
  std::vector<int64_t> sum(n, 0);
  for (const auto* u : us)
    for (std::size_t i = 0; i < n; ++i) sum[i] += (*u)[i];
  std::vector<int32_t> out(n);
  const auto k = static_cast<int64_t>(us.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<int32_t>(sum[i] / k);
  return out;
}

std::optional<std::vector<int32_t>> fedavg_mean(const std::vector<const std::vector<int32_t>*>& us,
                                                const std::vector<int>& samples) {
  if (us.empty()) return std::nullopt;
  double total = 0;
  for (int n : samples) total += std::max(n, 0);
  const std::size_t n = us.front()->size();
  std::vector<double> sum(n, 0.0);
  for (std::size_t k = 0; k < us.size(); ++k) {
    const double w =
        total > 0 ? std::max(samples[k], 0) / total : 1.0 / static_cast<double>(us.size());
    for (std::size_t i = 0; i < n; ++i) sum[i] += w * std::bit_cast<float>((*us[k])[i]);
  }
  std::vector<int32_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<int32_t>(static_cast<float>(sum[i]));
  return out;
}

}  // namespace tinyfleet
