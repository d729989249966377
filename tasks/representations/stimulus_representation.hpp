#pragma once
// How an agent sees the stimuli of a trial: a feature vector x(k) per step k,
// built from the steps at which each stimulus channel comes on and goes off.
// Every channel has its own block of features, so cues never share weights.
// With e = k − on the steps elapsed since a channel's onset (e ≥ 0):
//
// * complete serial compound (CSC; Sutton & Barto 1990; Montague, Dayan &
//   Sejnowski 1996): one unit per step since onset, x_{c,j}(k) = [j = e],
//   j = 0 … n_steps−1. The units keep counting after the offset until the
//   trial ends (drl_sim's representation; a trace-conditioning memory).
// * presence: one unit per channel, 1 while the stimulus is on.
// * microstimulus (Ludvig, Sutton & Kehoe 2008, Neural Comput 20:3034): a
//   memory trace y(k) = d^e that starts at 1 at onset and decays by d per
//   step, read by m Gaussian basis functions over trace height,
//     x_{c,i}(k) = y · f(y, i/m, σ),  f(y, μ, σ) = exp(−(y − μ)² / (2σ²)) / √(2π),
//   i = 1 … m (defaults m = 10, σ = 0.08, d = 0.985 per step, from that paper).
// * Gaussian-blurred CSC (timing uncertainty): the CSC unit e smeared over its
//   neighbours, x_{c,j}(k) ∝ exp(−(j − e)² / (2 s_e²)) with s_e = s₀ + κ·e
//   (κ > 0: scalar timing, the blur grows with elapsed time), cut at ±5 s_e
//   and normalised to sum 1 over the units inside the trial; s_e = 0 is the CSC.

#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

namespace bgsim::tasks {

// One presentation of a stimulus: present on steps on_step ≤ k < off_step.
struct StimulusInterval {
  int channel = 0;   // stimulus id
  int on_step = 0;   // first step with the stimulus present
  int off_step = 0;  // first step without it again
};

enum class Representation { complete_serial_compound, presence, microstimulus, blurred_csc };

struct RepresentationParams {
  Representation kind = Representation::complete_serial_compound;  // which code
  int n_channels = 1;  // number of stimulus channels (dimensionless, ≥ 1)
  int n_steps = 71;    // CSC and blurred-CSC units per channel: the trial length (steps, ≥ 1)
  int n_microstimuli = 10;  // m, microstimuli per channel (dimensionless, ≥ 1)
  double microstimulus_width =
      0.08;                    // σ of each basis function over trace height (dimensionless, > 0)
  double trace_decay = 0.985;  // d, memory-trace decay per step (dimensionless, (0, 1])
  double blur_sd_steps = 1.0;  // s₀, blur of the CSC at onset (steps, ≥ 0)
  double blur_weber_fraction = 0.0;  // κ, growth of the blur per elapsed step (dimensionless, ≥ 0)
};

class StimulusRepresentation {
 public:
  // Validates params (std::invalid_argument naming the field and the range).
  explicit StimulusRepresentation(const RepresentationParams& params);

  const RepresentationParams& params() const { return params_; }
  int n_features() const { return n_features_; }

  // The features of a trial of n_steps steps: F × n_steps, column k = x(k).
  // Overlapping presentations on one channel add up.
  Eigen::SparseMatrix<double> trial_features(const std::vector<StimulusInterval>& stimuli,
                                             int n_steps) const;

 private:
  RepresentationParams params_;
  int units_per_channel_ = 0;
  int n_features_ = 0;
};

}  // namespace bgsim::tasks
