// SplitMix64: a tiny, fully specified random generator, so toy problems, data orders, rollout seeds
// and eval sample seeds are the same on every platform and standard library (std distributions are
// implementation-defined).
#pragma once

#include <cstdint>

namespace distill::util {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi] (the modulo bias is below 2^-50 for the small ranges used here).
    int between(int lo, int hi) { return lo + int(next() % std::uint64_t(hi - lo + 1)); }
    // Uniform in [0, 1).
    double unit() { return double(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t m_state;
};

}  // namespace distill::util
