// BatchWorker: the one thread that runs the engine. Requests arriving from any thread wait in a
// bounded queue; each round takes all waiting requests and generates them as one engine batch.
#pragma once

#include "core/infer/engine.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace distill::serve {

struct WorkItem {
    infer::GenerationRequest request;
    // Called on the worker thread: each final token of sample `sample`, then exactly one of
    // onDone (the request's completions in sample order) and onError.
    std::function<void(int sample, std::int64_t token)> onToken;
    std::function<void(std::vector<infer::Completion> completions)> onDone;
    std::function<void(const std::string& message)> onError;
};

struct BatchStats {
    std::uint64_t rounds = 0;             // engine calls
    std::uint64_t requests = 0;           // requests generated
    std::uint64_t largestRound = 0;       // most requests in one engine call
    std::uint64_t rejected = 0;           // submits refused: the queue was full or the worker stopping
    std::uint64_t waiting = 0;            // admitted requests not yet in a round (at the time of stats())
};

class BatchWorker {
public:
    // capacity: requests admitted at once, waiting or generating.
    BatchWorker(infer::Engine& engine, std::size_t capacity);
    ~BatchWorker();  // stop(), then joins
    BatchWorker(const BatchWorker&) = delete;
    BatchWorker& operator=(const BatchWorker&) = delete;

    enum class Admission { Admitted, QueueFull, Stopping };
    // Nothing is called unless Admitted: `capacity` requests are already admitted, or stop() came.
    Admission submit(std::shared_ptr<WorkItem> item);
    // Drains: later submits are refused, every request already admitted (waiting or generating)
    // is still generated and delivered, then the thread ends.
    void stop();
    BatchStats stats() const;

private:
    void loop();

    infer::Engine& m_engine;
    std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::shared_ptr<WorkItem>> m_waiting;
    std::size_t m_admitted = 0;
    bool m_stopping = false;
    BatchStats m_stats;
    std::thread m_thread;
};

}  // namespace distill::serve
