// TeacherClient: sends chat-completion requests to an OpenAI-compatible teacher, up to
// `concurrency` at once, retrying transient failures, and delivers one result per sample.
#pragma once

#include "core/teacher/teacher_config.h"
#include "core/teacher/usage_counter.h"
#include "core/util/error.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace distill::teacher {

class HttpSession;
struct AttemptResult;

struct ChatMessage {
    std::string role;  // "system", "user", "assistant"
    std::string content;
};

// One prompt; it yields samples firstSample … firstSample + n - 1.
struct TeacherRequest {
    std::string id;  // the caller's key (e.g. the problem id), echoed in every result
    std::vector<ChatMessage> messages;
    int firstSample = 0;
    std::optional<int> n;  // default: the config's sampling.n
};

struct Completion {
    std::string requestId;
    int sampleIndex = 0;
    std::string thinking;
    std::string answer;
    std::string rawText;  // the message content exactly as the server sent it
    bool thinkingTruncated = false;
    std::string finishReason;
    Usage usage;            // of the whole HTTP response, which held `usageSharedBy` samples
    int usageSharedBy = 1;
    std::string model;
    int attempts = 1;       // HTTP attempts it took, the successful one included
    int attemptsSent = 1;   // of those, the ones whose request reached the server
    double latencySeconds = 0.0;  // of the successful attempt
};

struct Failure {
    std::string requestId;
    int sampleIndex = 0;
    ErrorCode code = ErrorCode::Network;  // Cancelled after a stop
    long httpStatus = 0;                  // 0: no HTTP response
    std::string message;                  // the server's error message when there was one
    int attempts = 0;
    int attemptsSent = 0;  // attempts whose request reached the server
};

enum class LogKind { Attempt, Retry, Completed, Failed, Note };

struct LogEvent {
    LogKind kind = LogKind::Note;
    std::string requestId;
    int attempt = 0;
    double delaySeconds = 0.0;  // Retry: the wait before the next attempt
    std::string message;
};

using CompletionFn = std::function<void(const Completion&)>;
using FailureFn = std::function<void(const Failure&)>;
using LogFn = std::function<void(const LogEvent&)>;

enum class StopMode {
    Graceful,  // nothing new starts; requests in flight finish their current attempt
    Hard,      // as Graceful, and transfers in flight are aborted
};

// Every sample of every submitted request ends in exactly one callback: onCompletion or
// onFailure. Callbacks (the log's too) run on worker threads, possibly at the same time, and must
// not throw; after a stop, submit() fails the new samples at once on the caller's thread.
// A request's log events are all emitted before its samples are delivered.
// The API key never appears in a log event, a failure or an error.
class TeacherClient {
public:
    // `apiKey` empty: read from the config's (or the preset's) api_key_env variable.
    // Throws InvalidArgument for an unusable config.
    explicit TeacherClient(TeacherConfig config, std::string apiKey = {}, LogFn log = {});
    ~TeacherClient();  // hard stop, then joins the workers
    TeacherClient(const TeacherClient&) = delete;
    TeacherClient& operator=(const TeacherClient&) = delete;

    void submit(TeacherRequest request, CompletionFn onCompletion, FailureFn onFailure);
    // Blocks until every submitted sample has been delivered.
    void wait();
    // As wait(), for at most `timeout`; true when every sample has been delivered.
    bool waitFor(std::chrono::milliseconds timeout);
    void stop(StopMode mode);
    bool stopped() const { return m_stopping.load(); }

    // Blocking: all samples of one request in sample order, or throws the first failure.
    std::vector<Completion> complete(const TeacherRequest& request);

    UsageTotals usage() const { return m_usage.totals(); }
    const ResolvedTeacher& resolved() const { return m_resolved; }

private:
    struct Submission;
    struct Job;
    struct JobOrder;

    void workerLoop();
    void runJob(Job job, HttpSession& session, std::mt19937_64& rng);
    std::string requestBody(const Job& job) const;
    void deliver(const Job& job, const AttemptResult& result);
    void fail(const Job& job, ErrorCode code, long httpStatus, const std::string& message);
    void log(LogKind kind, const std::string& requestId, int attempt, double delay,
             const std::string& message) const;
    std::string redact(std::string text) const;
    void finishJob();

    TeacherConfig m_config;
    ResolvedTeacher m_resolved;
    std::string m_apiKey;
    LogFn m_log;
    UsageCounter m_usage;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;   // workers: a job is ready or the client shuts down
    std::condition_variable m_idle;   // wait(): m_pending reached 0
    std::vector<Job> m_queue;         // a heap ordered by (readyAt, order)
    std::uint64_t m_nextOrder = 0;
    std::size_t m_pending = 0;        // jobs queued, waiting for a retry or in flight
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_abort{false};
    bool m_shutdown = false;
    std::vector<std::thread> m_workers;
};

}  // namespace distill::teacher
