#include "core/serve/batch_worker.h"

#include <algorithm>
#include <exception>

namespace distill::serve {

BatchWorker::BatchWorker(infer::Engine& engine, std::size_t capacity)
    : m_engine(engine), m_capacity(std::max<std::size_t>(1, capacity)), m_thread([this] { loop(); })
{
}

BatchWorker::~BatchWorker()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

BatchWorker::Admission BatchWorker::submit(std::shared_ptr<WorkItem> item)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_admitted >= m_capacity) {
            ++m_stats.rejected;
            return m_stopping ? Admission::Stopping : Admission::QueueFull;
        }
        ++m_admitted;
        m_waiting.push_back(std::move(item));
    }
    m_wake.notify_one();
    return Admission::Admitted;
}

void BatchWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
}

BatchStats BatchWorker::stats() const
{
    std::lock_guard lock(m_mutex);
    BatchStats stats = m_stats;
    stats.waiting = m_waiting.size();
    return stats;
}

void BatchWorker::loop()
{
    for (;;) {
        std::vector<std::shared_ptr<WorkItem>> round;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_waiting.empty(); });
            if (m_waiting.empty())
                return;  // stopping, and every admitted request was delivered
            round.assign(m_waiting.begin(), m_waiting.end());
            m_waiting.clear();
            ++m_stats.rounds;
            m_stats.requests += round.size();
            m_stats.largestRound = std::max<std::uint64_t>(m_stats.largestRound, round.size());
        }
        std::vector<infer::GenerationRequest> requests;
        requests.reserve(round.size());
        for (const auto& item : round)
            requests.push_back(item->request);
        std::vector<std::vector<infer::Completion>> results(round.size());
        std::string error;
        try {
            const auto onToken = [&round](std::size_t request, int sample, std::int64_t token) {
                if (round[request]->onToken)
                    round[request]->onToken(sample, token);
            };
            for (infer::Completion& c : m_engine.generate(requests, onToken))
                results[c.request].push_back(std::move(c));
        } catch (const std::exception& e) {
            error = e.what();
        }
        {
            // Room is made before delivery, so a client that got its answer can submit again at once.
            std::lock_guard lock(m_mutex);
            m_admitted -= round.size();
        }
        for (std::size_t i = 0; i < round.size(); ++i) {
            if (error.empty())
                round[i]->onDone(std::move(results[i]));
            else
                round[i]->onError("generation failed: " + error);
        }
    }
}

}  // namespace distill::serve
