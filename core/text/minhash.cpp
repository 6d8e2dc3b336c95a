#include "core/text/minhash.h"

#include "core/text/json_fields.h"
#include "core/text/word_ngrams.h"
#include "core/util/error.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace distill::text {
namespace {

constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

// Union-find whose root is always the smallest index of the set.
class Clusters {
public:
    explicit Clusters(std::size_t n) : m_parent(n) { std::iota(m_parent.begin(), m_parent.end(), 0); }
    std::size_t find(std::size_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void join(std::size_t a, std::size_t b)
    {
        a = find(a), b = find(b);
        if (a != b)
            m_parent[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::size_t> m_parent;
};

DuplicateResult resultFromPairs(std::size_t n, std::vector<DuplicatePair> pairs)
{
    Clusters clusters(n);
    for (const auto& p : pairs)
        clusters.join(p.first, p.second);
    DuplicateResult result;
    result.representative.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        result.representative[i] = clusters.find(i);
    std::sort(pairs.begin(), pairs.end(), [](const DuplicatePair& a, const DuplicatePair& b) {
        return std::tie(a.first, a.second) < std::tie(b.first, b.second);
    });
    result.pairs = std::move(pairs);
    return result;
}

// Probability that two texts of Jaccard s share at least one of b bands of r rows.
double collisionProbability(double s, std::size_t b, std::size_t r)
{
    return 1.0 - std::pow(1.0 - std::pow(s, double(r)), double(b));
}

// Midpoint rule; the integrands are smooth and bounded in [0, 1].
template <class F>
double integrate(F f, double lo, double hi)
{
    constexpr int kSteps = 200;
    const double h = (hi - lo) / kSteps;
    double sum = 0.0;
    for (int i = 0; i < kSteps; ++i)
        sum += f(lo + (i + 0.5) * h);
    return sum * h;
}

template <class Self, class Field>
void visitConfig(Self& c, Field&& f)
{
    f("num_perms", c.numPerms);
    f("ngram", c.ngram);
    f("threshold", c.threshold);
    f("bands", c.bands);
    f("seed", c.seed);
}

}  // namespace

MinHasher::MinHasher(const MinHashConfig& config)
    : m_config(config)
{
    if (config.numPerms == 0 || config.ngram == 0)
        throw Error(ErrorCode::InvalidArgument, "MinHash needs at least one permutation and an n-gram size of 1 or more");
    if (!(config.threshold > 0.0 && config.threshold <= 1.0))
        throw Error(ErrorCode::InvalidArgument, "MinHash threshold must be in (0, 1]");
    m_mul.resize(config.numPerms);
    m_add.resize(config.numPerms);
    for (std::uint64_t i = 0; i < config.numPerms; ++i) {
        m_mul[i] = XXH3_64bits_withSeed(&i, sizeof i, config.seed) | 1u;
        m_add[i] = XXH3_64bits_withSeed(&i, sizeof i, config.seed ^ 0xA5A5A5A5A5A5A5A5ull);
    }
}

std::vector<std::uint64_t> MinHasher::shingles(std::string_view text) const
{
    auto grams = ngramHashes(wordHashes(text), m_config.ngram);
    for (auto& g : grams)
        g = XXH3_64bits_withSeed(&g, sizeof g, m_config.seed);
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    return grams;
}

MinHashSignature MinHasher::signature(std::string_view text) const
{
    MinHashSignature sig(m_config.numPerms, kEmpty);
    const std::size_t perms = m_config.numPerms;
    const std::uint64_t* mul = m_mul.data();
    const std::uint64_t* add = m_add.data();
    std::uint32_t* out = sig.data();
    for (const std::uint64_t x : shingles(text)) {
        for (std::size_t i = 0; i < perms; ++i) {
            // multiply-shift hashing: the high 32 bits of a*x+b (a odd) form a universal family
            const auto v = static_cast<std::uint32_t>((mul[i] * x + add[i]) >> 32);
            out[i] = std::min(out[i], v);
        }
    }
    return sig;
}

double MinHasher::estimateJaccard(const MinHashSignature& a, const MinHashSignature& b)
{
    if (a.size() != b.size() || a.empty())
        throw Error(ErrorCode::InvalidArgument, "MinHash signatures of different lengths");
    std::size_t equal = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        equal += a[i] == b[i] && a[i] != kEmpty;
    return double(equal) / double(a.size());
}

LshShape optimalLshShape(double threshold, std::size_t numPerms)
{
    // candidates are verified against the signatures, so a false positive costs one comparison
    // while a false negative loses a duplicate: weigh misses nine times as much
    constexpr double kFalsePositiveWeight = 0.1;
    LshShape best;
    double bestError = std::numeric_limits<double>::max();
    for (std::size_t b = 1; b <= numPerms; ++b) {
        for (std::size_t r = 1; r <= numPerms / b; ++r) {
            const double falsePositive = integrate([&](double s) { return collisionProbability(s, b, r); }, 0.0, threshold);
            const double falseNegative = integrate([&](double s) { return 1.0 - collisionProbability(s, b, r); }, threshold, 1.0);
            const double error = kFalsePositiveWeight * falsePositive + (1.0 - kFalsePositiveWeight) * falseNegative;
            if (error < bestError) {
                bestError = error;
                best = {b, r};
            }
        }
    }
    return best;
}

std::size_t DuplicateResult::duplicates() const
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < representative.size(); ++i)
        n += representative[i] != i;
    return n;
}

DuplicateResult findNearDuplicates(const std::vector<MinHashSignature>& signatures, const MinHashConfig& config)
{
    const std::size_t n = signatures.size();
    LshShape shape = optimalLshShape(config.threshold, config.numPerms);
    if (config.bands != 0) {
        if (config.bands > config.numPerms)
            throw Error(ErrorCode::InvalidArgument, "MinHash bands exceed the number of permutations");
        shape = {config.bands, config.numPerms / config.bands};
    }
    // Candidate pairs: documents whose rows agree in at least one band. Within a bucket each
    // document is compared with the bucket's first kBucketProbe members, which bounds the work on
    // huge buckets (many copies of one text) while still linking every copy to the cluster.
    constexpr std::size_t kBucketProbe = 64;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
    keys.reserve(n);
    for (std::size_t band = 0; band < shape.bands; ++band) {
        keys.clear();
        for (std::size_t d = 0; d < n; ++d) {
            const auto& sig = signatures[d];
            if (sig.size() != config.numPerms)
                throw Error(ErrorCode::InvalidArgument, "MinHash signature length differs from num_perms");
            if (sig[0] == kEmpty)
                continue;  // a text without words
            keys.emplace_back(XXH3_64bits(sig.data() + band * shape.rows, shape.rows * sizeof(std::uint32_t)),
                              static_cast<std::uint32_t>(d));
        }
        std::sort(keys.begin(), keys.end());
        for (std::size_t start = 0; start < keys.size();) {
            std::size_t end = start + 1;
            while (end < keys.size() && keys[end].first == keys[start].first)
                ++end;
            for (std::size_t j = start + 1; j < end; ++j)
                for (std::size_t i = start; i < j && i < start + kBucketProbe; ++i)
                    candidates.emplace_back(keys[i].second, keys[j].second);
            start = end;
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<DuplicatePair> pairs;
    for (const auto& [a, b] : candidates) {
        const double j = MinHasher::estimateJaccard(signatures[a], signatures[b]);
        if (j >= config.threshold)
            pairs.push_back({a, b, j});
    }
    return resultFromPairs(n, std::move(pairs));
}

DuplicateResult findNearDuplicates(const std::vector<std::string_view>& docs, const MinHashConfig& config)
{
    const MinHasher hasher(config);
    std::vector<MinHashSignature> signatures;
    signatures.reserve(docs.size());
    for (const auto doc : docs)
        signatures.push_back(hasher.signature(doc));
    return findNearDuplicates(signatures, config);
}

std::uint64_t exactDuplicateKey(std::string_view text)
{
    const std::string norm = normalizeText(text);
    return XXH3_64bits(norm.data(), norm.size());
}

DuplicateResult findExactDuplicates(const std::vector<std::string_view>& docs)
{
    std::unordered_map<std::uint64_t, std::size_t> first;
    first.reserve(docs.size());
    std::vector<DuplicatePair> pairs;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto [it, inserted] = first.emplace(exactDuplicateKey(docs[i]), i);
        if (!inserted)
            pairs.push_back({it->second, i, 1.0});
    }
    return resultFromPairs(docs.size(), std::move(pairs));
}

nlohmann::json toJson(const MinHashConfig& config)
{
    return detail::fieldsToJson(config, [](auto& c, auto&& f) { visitConfig(c, f); });
}

MinHashConfig minHashConfigFromJson(const nlohmann::json& json)
{
    MinHashConfig config;
    detail::fieldsFromJson(json, config, [](auto& c, auto&& f) { visitConfig(c, f); }, "dedup");
    return config;
}

}  // namespace distill::text
