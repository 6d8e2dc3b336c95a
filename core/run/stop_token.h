// StopToken: the graceful-stop flag of a job. A signal handler (or the GUI) requests a stop; the job
// finishes its in-flight unit of work, records it and returns with a "stopped" outcome.
#pragma once

#include <atomic>

namespace distill::run {

class StopToken {
public:
    // Async-signal-safe: a lock-free atomic store.
    void request() { m_stop.store(true, std::memory_order_relaxed); }
    bool requested() const { return m_stop.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_stop{false};
    static_assert(std::atomic<bool>::is_always_lock_free);
};

}  // namespace distill::run
