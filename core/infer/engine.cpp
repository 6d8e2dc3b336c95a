#include "core/infer/engine.h"

#include "core/infer/sampler.h"
#include "core/model/causal_lm.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <set>

namespace distill::infer {

namespace {

using Clock = std::chrono::steady_clock;

struct Sequence {
    std::size_t request = 0;
    int sample = 0;
    std::int64_t slot = 0;
    std::int64_t length = 0;             // tokens in the cache
    std::vector<std::int64_t> seen;      // prompt + generated, for the repetition penalty
    std::vector<std::int64_t> generated;
    std::deque<std::int64_t> pending;    // emitted but not yet fed to the model
    std::size_t streamed = 0;
    SequenceRng rng;
    BudgetForcer forcer;
    std::optional<FinishReason> finish;
    std::string text;
    double firstTokenSeconds = -1;
};

// Position of the first stop string in `text`.
bool findStop(const std::string& text, std::size_t& cut, const std::vector<std::string>& stops)
{
    for (const std::string& s : stops)
        if (!s.empty())
            if (const auto at = text.find(s); at != std::string::npos) {
                cut = at;
                return true;
            }
    return false;
}

}  // namespace

struct Engine::Impl {
    std::shared_ptr<model::CausalLMImpl> model;
    EngineOptions options;
    EngineStats stats;
    std::vector<Completion> done;
    const std::vector<GenerationRequest>* requests = nullptr;
    const TokenStreamFn* onToken = nullptr;
    Clock::time_point start;

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start).count(); }

    void stream(Sequence& s, bool all)
    {
        const std::size_t upTo = all ? s.generated.size()
                                     : s.generated.size() - std::min(s.generated.size(), s.forcer.holdBack());
        for (; s.streamed < upTo; ++s.streamed)
            if (*onToken)
                (*onToken)(s.request, s.sample, s.generated[s.streamed]);
    }

    // Applies a sampled token to a sequence: budget forcing, stop conditions, streaming.
    void accept(Sequence& s, std::int64_t sampled)
    {
        const GenerationRequest& req = (*requests)[s.request];
        if (s.firstTokenSeconds < 0)
            s.firstTokenSeconds = elapsed();
        const auto decision = s.forcer.onToken(s.generated, sampled);
        if (decision.dropLast > 0) {  // taken back: already fed, so rewind the cache too
            s.generated.resize(s.generated.size() - decision.dropLast);
            s.seen.resize(s.seen.size() - decision.dropLast);
            s.length -= std::int64_t(decision.dropLast);
        }
        for (std::int64_t t : decision.append) {
            s.generated.push_back(t);
            s.seen.push_back(t);
            s.pending.push_back(t);
            if (std::find(req.stopTokenIds.begin(), req.stopTokenIds.end(), t) != req.stopTokenIds.end()) {
                s.finish = FinishReason::Stop;
                break;
            }
            if (std::int64_t(s.generated.size()) >= req.maxNewTokens) {
                s.finish = FinishReason::Length;
                break;
            }
        }
        if (!req.stopStrings.empty() && options.detokenize) {
            // Search a tail window: a stop string spans far fewer than 64 tokens.
            const std::size_t from = s.generated.size() > 64 ? s.generated.size() - 64 : 0;
            const std::string prefix = options.detokenize({s.generated.begin(), s.generated.begin() + std::ptrdiff_t(from)});
            const std::string tail = options.detokenize({s.generated.begin() + std::ptrdiff_t(from), s.generated.end()});
            std::size_t cut = 0;
            if (findStop(tail, cut, req.stopStrings)) {
                s.finish = FinishReason::Stop;
                s.text = prefix + tail.substr(0, cut);
            }
        }
        stream(s, s.finish.has_value());
    }

    void complete(Sequence& s)
    {
        Completion c;
        c.request = s.request;
        c.sample = s.sample;
        c.ids = s.generated;
        c.finish = *s.finish;
        c.thinkingTokens = s.forcer.thinkingTokens();
        c.waits = s.forcer.waits();
        c.firstTokenSeconds = s.firstTokenSeconds;
        c.text = !s.text.empty() || !options.detokenize ? s.text : options.detokenize(s.generated);
        stats.generatedTokens += std::int64_t(s.generated.size());
        done.push_back(std::move(c));
    }

    std::vector<std::int64_t> sample(const at::Tensor& logits, std::vector<Sequence*>& rows)
    {
        std::vector<SampleRow> sr;
        for (Sequence* s : rows)
            sr.push_back({&(*requests)[s->request].sampling, &s->seen, &s->rng});
        return sampleTokens(logits, sr);
    }

    // Right-padded prefill of new prompts into their first slot; the other n-1 slots get a copy.
    void prefill(const std::vector<std::size_t>& admitted, std::vector<std::vector<std::int64_t>>& slotsOf,
                 model::KvCache& cache, std::vector<Sequence>& active)
    {
        const auto dev = model->device();
        const auto P = std::int64_t(admitted.size());
        std::int64_t L = 0;
        for (std::size_t r : admitted)
            L = std::max<std::int64_t>(L, std::int64_t((*requests)[r].prompt.size()));
        std::vector<std::int64_t> ids(std::size_t(P * L), 0), firstSlots, last;
        for (std::int64_t p = 0; p < P; ++p) {
            const auto& prompt = (*requests)[admitted[std::size_t(p)]].prompt;
            std::copy(prompt.begin(), prompt.end(), ids.begin() + p * L);
            firstSlots.push_back(slotsOf[std::size_t(p)].front());
            last.push_back(p * L + std::int64_t(prompt.size()) - 1);
            stats.promptTokens += std::int64_t(prompt.size());
        }
        const auto input = torch::from_blob(ids.data(), {P, L}, torch::kLong).to(dev);                 // [P, L]
        const auto positions = torch::arange(L, torch::TensorOptions().dtype(torch::kLong).device(dev))
                                   .unsqueeze(0).expand({P, L});                                       // [P, L]
        const auto slotIds = torch::tensor(firstSlots, torch::kLong).to(dev);
        const auto hidden = model->forwardCached(input, positions, cache, slotIds, false);             // [P, L, H]
        const auto lastIdx = torch::tensor(last, torch::kLong).to(dev);
        const auto logits = model->logits(hidden.reshape({P * L, -1}).index_select(0, lastIdx));       // [P, V]

        std::vector<Sequence*> fresh;
        std::vector<std::int64_t> rowOf;
        for (std::int64_t p = 0; p < P; ++p) {
            const std::size_t r = admitted[std::size_t(p)];
            const GenerationRequest& req = (*requests)[r];
            for (int j = 0; j < req.n; ++j) {
                const std::int64_t slot = slotsOf[std::size_t(p)][std::size_t(j)];
                if (j > 0)
                    cache.copySlot(firstSlots[std::size_t(p)], slot, std::int64_t(req.prompt.size()));
                active.push_back(Sequence{r, j, slot, std::int64_t(req.prompt.size()), req.prompt, {}, {}, 0,
                                          SequenceRng(req.sampling.seed, std::uint64_t(j)), BudgetForcer(req.budget),
                                          std::nullopt, {}, -1});
                rowOf.push_back(p);
            }
        }
        for (std::size_t i = active.size() - rowOf.size(); i < active.size(); ++i)
            fresh.push_back(&active[i]);
        const auto rows = logits.index_select(0, torch::tensor(rowOf, torch::kLong).to(dev));  // [N, V]
        const auto tokens = sample(rows, fresh);
        for (std::size_t i = 0; i < fresh.size(); ++i)
            accept(*fresh[i], tokens[i]);
    }

    // One forward for every active sequence: feed its next pending token, sample where none is left.
    void decodeStep(model::KvCache& cache, std::vector<Sequence>& active)
    {
        const auto dev = model->device();
        std::sort(active.begin(), active.end(), [](const Sequence& a, const Sequence& b) { return a.slot < b.slot; });
        const auto A = std::int64_t(active.size());
        std::vector<std::int64_t> ids, pos, slotIds;
        bool range = true;
        for (std::int64_t i = 0; i < A; ++i) {
            Sequence& s = active[std::size_t(i)];
            ids.push_back(s.pending.front());
            pos.push_back(s.length);
            slotIds.push_back(s.slot);
            range = range && s.slot == i;
        }
        const auto input = torch::tensor(ids, torch::kLong).view({A, 1}).to(dev);     // [A, 1]
        const auto positions = torch::tensor(pos, torch::kLong).view({A, 1}).to(dev); // [A, 1]
        const auto hidden = model->forwardCached(input, positions, cache, torch::tensor(slotIds, torch::kLong).to(dev), range);
        ++stats.decodeSteps;
        std::vector<Sequence*> sampling;
        std::vector<std::int64_t> rowIdx;
        for (std::int64_t i = 0; i < A; ++i) {
            Sequence& s = active[std::size_t(i)];
            s.pending.pop_front();
            ++s.length;
            if (s.pending.empty() && !s.finish) {
                sampling.push_back(&s);
                rowIdx.push_back(i);
            }
        }
        if (sampling.empty())
            return;
        const auto logits = model->logits(hidden.squeeze(1).index_select(0, torch::tensor(rowIdx, torch::kLong).to(dev)));
        const auto tokens = sample(logits, sampling);
        for (std::size_t i = 0; i < sampling.size(); ++i)
            accept(*sampling[i], tokens[i]);
    }
};

Engine::Engine(std::shared_ptr<model::CausalLMImpl> model, EngineOptions options) : m_impl(std::make_unique<Impl>())
{
    if (!model)
        throw Error(ErrorCode::InvalidArgument, "engine needs a model");
    if (options.maxBatch < 1)
        throw Error(ErrorCode::InvalidArgument, "maxBatch must be at least 1");
    m_impl->model = std::move(model);
    m_impl->options = std::move(options);
}

Engine::~Engine() = default;

const EngineStats& Engine::lastStats() const
{
    return m_impl->stats;
}

std::vector<Completion> Engine::generate(const std::vector<GenerationRequest>& requests, const TokenStreamFn& onToken)
{
    Impl& m = *m_impl;
    c10::InferenceMode inference;
    m.stats = {};
    m.done.clear();
    m.requests = &requests;
    m.onToken = &onToken;
    m.start = Clock::now();
    const std::int64_t vocab = m.model->config().vocabSize;
    std::int64_t total = 0, maxLength = 1, maxN = 1;
    for (const GenerationRequest& r : requests) {
        if (r.prompt.empty())
            throw Error(ErrorCode::InvalidArgument, "empty prompt");
        if (r.n < 1)
            throw Error(ErrorCode::InvalidArgument, "n must be at least 1");
        if (r.maxNewTokens < 1)
            throw Error(ErrorCode::InvalidArgument, "max new tokens must be at least 1");
        for (std::int64_t t : r.prompt)
            if (t < 0 || t >= vocab)
                throw Error(ErrorCode::InvalidArgument, "token id " + std::to_string(t) + " outside the vocabulary");
        total += r.n;
        maxN = std::max<std::int64_t>(maxN, r.n);
        maxLength = std::max<std::int64_t>(maxLength, std::int64_t(r.prompt.size()) + r.maxNewTokens);
    }
    if (requests.empty())
        return {};
    const std::int64_t slots = std::max(maxN, std::min(m.options.maxBatch, total));
    model::KvCache cache = m.model->makeCache(slots, maxLength);
    std::set<std::int64_t> freeSlots;
    for (std::int64_t s = 0; s < slots; ++s)
        freeSlots.insert(s);
    std::deque<std::size_t> queue;
    for (std::size_t r = 0; r < requests.size(); ++r)
        queue.push_back(r);
    std::vector<Sequence> active;

    while (!queue.empty() || !active.empty()) {
        std::vector<std::size_t> admitted;
        std::vector<std::vector<std::int64_t>> slotsOf;
        while (!queue.empty() && std::int64_t(freeSlots.size()) >= requests[queue.front()].n) {
            admitted.push_back(queue.front());
            slotsOf.emplace_back();
            for (int j = 0; j < requests[queue.front()].n; ++j) {
                slotsOf.back().push_back(*freeSlots.begin());
                freeSlots.erase(freeSlots.begin());
            }
            queue.pop_front();
        }
        if (!admitted.empty())
            m.prefill(admitted, slotsOf, cache, active);
        // Finished sequences leave and free their slots before the next forward.
        for (auto it = active.begin(); it != active.end();) {
            if (it->finish) {
                m.complete(*it);
                freeSlots.insert(it->slot);
                it = active.erase(it);
            } else {
                ++it;
            }
        }
        if (!active.empty())
            m.decodeStep(cache, active);
    }
    std::sort(m.done.begin(), m.done.end(), [](const Completion& a, const Completion& b) {
        return a.request != b.request ? a.request < b.request : a.sample < b.sample;
    });
    m.stats.seconds = m.elapsed();
    m.stats.firstTokenSeconds = m.done.empty() ? 0.0 : m.done.front().firstTokenSeconds;
    for (const Completion& c : m.done)
        m.stats.firstTokenSeconds = std::min(m.stats.firstTokenSeconds, c.firstTokenSeconds);
    return std::move(m.done);
}

}  // namespace distill::infer
