#pragma once
// What a learner offers to federated rounds (sim/fleet_server.hpp): parameters
// per layer that a server can average, and local training on the device's
// buffer of labelled samples when a round asks for it. Parameters travel as
// int32 words: integers (TIFeD), or fp32 bit patterns when float_params()
// (the float MLP), which the server averages as FedAvg does.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "devices/op_counter.hpp"

namespace tinyfleet {

class Federable {
 public:
  virtual ~Federable() = default;
  virtual int layers() const = 0;
  // layer = −1: every layer in order.
  virtual std::size_t param_count(int layer = -1) const = 0;
  virtual std::vector<int32_t> export_params(int layer = -1) const = 0;
  virtual void import_params(const std::vector<int32_t>& params, int layer = -1) = 0;
  // Bytes of one parameter on the wire (its integer width; 4 for fp32).
  virtual int wire_bytes_per_param() const = 0;
  // The words are fp32 bit patterns (std::bit_cast), averaged by FedAvg's
  // sample-weighted mean; otherwise integers, averaged by TIFeD's integer mean.
  virtual bool float_params() const { return false; }
  // Federated use: learn() keeps the latest labelled samples in the buffer
  // (oldest dropped when full) instead of training and emptying it; with
  // `local_learning` it still trains on the buffer each time it has taken in
  // a buffer's worth of new samples.
  virtual void set_federated(bool local_learning) = 0;
  // A session's training set is the buffer's content when it begins (the
  // oldest samples; later arrivals wait for the next session, except that a
  // full buffer still drops its oldest sample). end_session(consume) drops
  // that set from the buffer if `consume`.
  virtual void begin_session() = 0;
  virtual void end_session(bool consume) = 0;
  // One round of local training: `epochs` passes over the session's set (or
  // the whole buffer outside a session), updating only `layer` (−1: all).
  virtual void train_round(int epochs, int layer, OpCounter& ops) = 0;
  virtual int buffered() const = 0;
  // Samples a round trains on: the open session's set, else the buffer
  // (FedAvg's n_k, the weight of this member's update).
  virtual int session_samples() const { return buffered(); }
};

}  // namespace tinyfleet
