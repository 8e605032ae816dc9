#pragma once
// The pure decisions of a federated round, apart from the network: who takes
// part, who is reachable, how many transmissions a message needs, and
// TIFeD's integer aggregation. Every draw is a function of (seed, device,
// round), so it does not depend on the schedule.
#include <cstdint>
#include <optional>
#include <vector>

#include "scenarios/scenario.hpp"

namespace tinyfleet {

// `fraction` of `members` (at least one), chosen by a seeded partial shuffle,
// returned in ascending order.
std::vector<int> select_participants(const std::vector<int>& members, double fraction,
                                     uint64_t seed, uint64_t round);

// Whether `device` can hear the server at time `t` in round `round`.
bool available(const AvailabilitySpec& a, uint64_t seed, int device, uint64_t round, double t);

// Transmissions needed to get one message through a link losing each with
// probability `loss`: 1 + retransmissions, or nullopt if all 1 + max_retries were lost.
struct Attempts {
  int sent = 1;
  bool delivered = true;
};
Attempts draw_attempts(double loss, int max_retries, uint64_t seed, int device, uint64_t round,
                       uint64_t purpose);

// Single-layer mode: the layer trained by member `index` of `members` devices
// (contiguous groups of members/layers, as the TIFeD reference).
int assigned_layer(int index, int members, int layers);

// TIFeD aggregation: trunc(Σ_k u_k / K) element-wise (C++ integer division
// truncates toward zero, as the reference's int(np.sum(...)/K)). Empty input:
// nullopt.
std::optional<std::vector<int32_t>> integer_mean(
    const std::vector<const std::vector<int32_t>*>& us);

// Float FedAvg (McMahan et al. 2017): w = Σ_k n_k·w_k / Σ_k n_k element-wise,
// where each u_k holds fp32 bit patterns (learners/federable.hpp) and n_k is
// the member's sample count; accumulated in double, in the given order. If
// every n_k is 0 (nobody had data) the plain mean. Empty input: nullopt.
std::optional<std::vector<int32_t>> fedavg_mean(const std::vector<const std::vector<int32_t>*>& us,
                                                const std::vector<int>& samples);

}  // namespace tinyfleet
