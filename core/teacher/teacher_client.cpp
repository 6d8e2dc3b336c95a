#include "core/teacher/teacher_client.h"

#include "core/teacher/backoff.h"
#include "core/teacher/http_attempt.h"
#include "core/text/cot_template.h"

#include <algorithm>
#include <chrono>

namespace distill::teacher {

using Clock = std::chrono::steady_clock;

struct TeacherClient::Submission {
    TeacherRequest request;
    CompletionFn onCompletion;
    FailureFn onFailure;
};

// One HTTP request's worth of work: `n` samples from `firstSample` on, with its retry state.
struct TeacherClient::Job {
    std::shared_ptr<const Submission> submission;
    int firstSample = 0;
    int n = 1;
    std::optional<long long> seed;
    int attempts = 0;      // made so far
    int attemptsSent = 0;  // of those, the ones whose request reached the server
    Clock::time_point readyAt;
    std::uint64_t order = 0;
};

// std::push_heap keeps the greatest on top; "greater" = later, so the earliest job is on top.
struct TeacherClient::JobOrder {
    bool operator()(const Job& a, const Job& b) const
    {
        return a.readyAt != b.readyAt ? a.readyAt > b.readyAt : a.order > b.order;
    }
};

TeacherClient::TeacherClient(TeacherConfig config, std::string apiKey, LogFn log)
    : m_config(std::move(config))
    , m_resolved(resolveTeacher(m_config))
    , m_apiKey(resolveApiKey(m_config, m_resolved, apiKey))
    , m_log(std::move(log))
    , m_usage(m_config.prices)
{
    for (int i = 0; i < m_config.concurrency; ++i)
        m_workers.emplace_back([this] { workerLoop(); });
}

TeacherClient::~TeacherClient()
{
    stop(StopMode::Hard);
    {
        std::lock_guard lock(m_mutex);
        m_shutdown = true;
    }
    m_wake.notify_all();
    for (auto& worker : m_workers)
        worker.join();
}

void TeacherClient::submit(TeacherRequest request, CompletionFn onCompletion, FailureFn onFailure)
{
    const int n = request.n.value_or(m_config.sampling.n);
    if (n < 1)
        throw Error(ErrorCode::InvalidArgument, "a request needs at least one sample");
    auto submission = std::make_shared<const Submission>(
        Submission{std::move(request), std::move(onCompletion), std::move(onFailure)});
    const int firstSample = submission->request.firstSample;
    const auto& seed = m_config.sampling.seed;

    std::vector<Job> jobs;
    if (m_resolved.preset.supportsN || n == 1) {
        jobs.push_back(Job{submission, firstSample, n, seed, 0, 0, Clock::now(), 0});
    } else {
        // The server has no `n`: one request per sample, each with its own seed.
        for (int i = 0; i < n; ++i) {
            const int sample = firstSample + i;
            std::optional<long long> sampleSeed;
            if (seed)
                sampleSeed = *seed + sample;
            jobs.push_back(Job{submission, sample, 1, sampleSeed, 0, 0, Clock::now(), 0});
        }
    }
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            for (auto& job : jobs) {
                job.order = m_nextOrder++;
                m_queue.push_back(std::move(job));
                std::push_heap(m_queue.begin(), m_queue.end(), JobOrder{});
                ++m_pending;
            }
            jobs.clear();
        }
    }
    m_wake.notify_all();
    for (const auto& job : jobs)
        fail(job, ErrorCode::Cancelled, 0, "the client was stopped");
}

void TeacherClient::wait()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_pending == 0; });
}

bool TeacherClient::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(lock, timeout, [this] { return m_pending == 0; });
}

void TeacherClient::stop(StopMode mode)
{
    std::vector<Job> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (mode == StopMode::Hard)
            m_abort = true;
        dropped.swap(m_queue);
    }
    for (const auto& job : dropped) {
        fail(job, ErrorCode::Cancelled, 0, "stopped before the request was sent");
        finishJob();
    }
    m_wake.notify_all();
}

std::vector<Completion> TeacherClient::complete(const TeacherRequest& request)
{
    std::mutex mutex;
    std::condition_variable done;
    std::vector<Completion> completions;
    std::optional<Failure> failure;
    int remaining = request.n.value_or(m_config.sampling.n);
    submit(
        request,
        [&](const Completion& c) {
            std::lock_guard lock(mutex);
            completions.push_back(c);
            --remaining;
            done.notify_all();
        },
        [&](const Failure& f) {
            std::lock_guard lock(mutex);
            if (!failure)
                failure = f;
            --remaining;
            done.notify_all();
        });
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return remaining <= 0; });
    if (failure)
        throw Error(failure->code, failure->message,
                    "request '" + failure->requestId + "' after "
                        + std::to_string(failure->attempts) + " attempt(s)");
    std::sort(completions.begin(), completions.end(),
              [](const Completion& a, const Completion& b) { return a.sampleIndex < b.sampleIndex; });
    return completions;
}

void TeacherClient::workerLoop()
{
    HttpSession session;
    std::mt19937_64 rng(std::random_device{}());
    std::unique_lock lock(m_mutex);
    while (!m_shutdown) {
        if (m_queue.empty()) {
            m_wake.wait(lock);
            continue;
        }
        const auto readyAt = m_queue.front().readyAt;
        if (readyAt > Clock::now()) {
            m_wake.wait_until(lock, readyAt);
            continue;
        }
        std::pop_heap(m_queue.begin(), m_queue.end(), JobOrder{});
        Job job = std::move(m_queue.back());
        m_queue.pop_back();
        lock.unlock();
        runJob(std::move(job), session, rng);
        lock.lock();
    }
}

void TeacherClient::runJob(Job job, HttpSession& session, std::mt19937_64& rng)
{
    const std::string& id = job.submission->request.id;
    const int attempt = ++job.attempts;
    log(LogKind::Attempt, id, attempt, 0.0,
        "POST " + m_resolved.chatUrl + " (" + std::to_string(job.n) + " sample(s) from #"
            + std::to_string(job.firstSample) + ")");

    AttemptSpec spec;
    spec.url = m_resolved.chatUrl;
    spec.body = requestBody(job);
    spec.apiKey = m_apiKey;
    spec.stream = m_config.stream;
    spec.expectedChoices = job.n;
    spec.reasoningField = m_resolved.preset.reasoningField;
    spec.timeouts = m_config.timeouts;
    spec.abort = &m_abort;
    const AttemptResult result = session.post(spec);
    job.attemptsSent += result.requestSent ? 1 : 0;

    switch (result.status) {
    case AttemptStatus::Done:
        deliver(job, result);
        break;
    case AttemptStatus::Aborted:
        fail(job, ErrorCode::Cancelled, result.httpStatus, result.message);
        break;
    case AttemptStatus::Fatal:
        fail(job, ErrorCode::Network, result.httpStatus, result.message);
        break;
    case AttemptStatus::Retryable:
        if (m_stopping) {
            fail(job, ErrorCode::Cancelled, result.httpStatus,
                 "stopped before retrying: " + result.message);
        } else if (attempt >= m_config.retry.maxAttempts) {
            fail(job, ErrorCode::Network, result.httpStatus,
                  result.message + " (gave up after " + std::to_string(attempt) + " attempts)");
        } else {
            const double delay =
                retryDelaySeconds(m_config.retry, attempt, result.retryAfter, rng);
            log(LogKind::Retry, id, attempt, delay,
                result.message + "; retry in " + std::to_string(delay) + " s");
            job.readyAt = Clock::now()
                + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
            {
                std::lock_guard lock(m_mutex);
                if (!m_stopping) {
                    m_queue.push_back(std::move(job));
                    std::push_heap(m_queue.begin(), m_queue.end(), JobOrder{});
                    m_wake.notify_all();
                    return;
                }
            }
            fail(job, ErrorCode::Cancelled, result.httpStatus,
                 "stopped before retrying: " + result.message);
        }
        break;
    }
    finishJob();
}

std::string TeacherClient::requestBody(const Job& job) const
{
    const SamplingParams& s = m_config.sampling;
    nlohmann::json body = m_config.extraBody;
    body["model"] = m_resolved.model;
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& m : job.submission->request.messages)
        messages.push_back({{"role", m.role}, {"content", m.content}});
    body["messages"] = std::move(messages);
    body["stream"] = m_config.stream;
    if (m_config.stream && m_resolved.preset.streamUsage)
        body["stream_options"] = {{"include_usage", true}};
    if (job.n > 1)
        body["n"] = job.n;
    if (s.temperature)
        body["temperature"] = *s.temperature;
    if (s.topP)
        body["top_p"] = *s.topP;
    if (s.maxTokens)
        body["max_tokens"] = *s.maxTokens;
    if (!s.stop.empty())
        body["stop"] = s.stop;
    if (job.seed)
        body["seed"] = *job.seed;
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void TeacherClient::deliver(const Job& job, const AttemptResult& result)
{
    const int attempts = job.attempts;
    const auto& response = result.response;
    m_usage.add(response.usage());
    const std::string& id = job.submission->request.id;
    // Logged first: once a request's samples are delivered, its events have all been emitted.
    log(LogKind::Completed, id, attempts, 0.0,
        std::to_string(job.n) + " sample(s) in " + std::to_string(result.seconds) + " s");
    for (const auto& [index, choice] : response.choices()) {
        Completion c;
        c.requestId = id;
        c.sampleIndex = job.firstSample + index;
        const text::ThinkingSplit split = text::splitThinking(choice.content);
        if (!split.hasOpenTag && !split.hasCloseTag) {
            // No tags: the content is the answer (the thinking, if any, came in its own field).
            c.answer = text::trimmed(choice.content);
        } else {
            c.thinking = split.thinking;
            c.answer = split.answer;
            c.thinkingTruncated = !split.hasCloseTag;
        }
        if (!choice.reasoning.empty())
            c.thinking = choice.reasoning + (c.thinking.empty() ? "" : "\n" + c.thinking);
        if (choice.finishReason == "length" && c.answer.empty())
            c.thinkingTruncated = true;
        c.rawText = choice.content;
        c.finishReason = choice.finishReason;
        c.usage = response.usage();
        c.usageSharedBy = job.n;
        c.model = response.model();
        c.attempts = attempts;
        c.attemptsSent = job.attemptsSent;
        c.latencySeconds = result.seconds;
        try {
            job.submission->onCompletion(c);
        } catch (const std::exception& e) {
            log(LogKind::Note, id, attempts, 0.0, std::string("completion callback threw: ") + e.what());
        }
    }
}

void TeacherClient::fail(const Job& job, ErrorCode code, long httpStatus,
                         const std::string& message)
{
    const int attempts = job.attempts;
    const std::string& id = job.submission->request.id;
    const std::string safe = redact(message);
    log(LogKind::Failed, id, attempts, 0.0, safe);
    for (int i = 0; i < job.n; ++i) {
        const Failure f{id, job.firstSample + i, code, httpStatus, safe, attempts, job.attemptsSent};
        try {
            job.submission->onFailure(f);
        } catch (const std::exception& e) {
            log(LogKind::Note, id, attempts, 0.0, std::string("failure callback threw: ") + e.what());
        }
    }
}

void TeacherClient::log(LogKind kind, const std::string& requestId, int attempt, double delay,
                        const std::string& message) const
{
    if (m_log)
        m_log(LogEvent{kind, requestId, attempt, delay, redact(message)});
}

std::string TeacherClient::redact(std::string text) const
{
    return redacted(std::move(text), m_apiKey);
}

void TeacherClient::finishJob()
{
    std::lock_guard lock(m_mutex);
    if (--m_pending == 0)
        m_idle.notify_all();
}

}  // namespace distill::teacher
