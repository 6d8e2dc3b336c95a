// parallelFor: calls fn(i) for every i in [0, n) on up to `threads` threads (the caller's among them),
// handing out indices one at a time, so uneven items (long and short samples) balance themselves.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace distill::util {

// The first exception thrown by fn stops the hand-out of further indices and is rethrown here once
// every thread has finished its current item.
template <class Fn>
void parallelFor(std::size_t n, std::size_t threads, Fn&& fn)
{
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            try {
                fn(i);
            } catch (...) {
                const std::lock_guard lock(errorMutex);
                if (!error)
                    error = std::current_exception();
                next.store(n);
            }
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < std::min(threads, std::max<std::size_t>(n, 1)); ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

// The default thread count of parallel work: the hardware's, at least 1.
inline std::size_t hardwareThreads()
{
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace distill::util
