#include "core/teacher/http_attempt.h"

#include "core/teacher/backoff.h"
#include "core/util/error.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <mutex>

namespace distill::teacher {

namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;

// State the curl callbacks write into during one attempt.
struct Transfer {
    CURL* curl = nullptr;
    const AttemptSpec* spec = nullptr;
    AttemptResult* result = nullptr;
    SseDecoder decoder;
    std::string body;    // whole body (non-streaming) or error body
    std::size_t received = 0;  // body bytes so far
    std::string overLimit;     // why the transfer was cut for its size
    bool sawEvent = false;
    std::optional<std::string> retryAfterHeader;
    std::chrono::steady_clock::time_point lastByte = std::chrono::steady_clock::now();
    bool idleTimedOut = false;

    bool streamingOk() const { return spec->stream && result->httpStatus / 100 == 2; }
};

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const std::string_view line(data, size * count);
    if (line.substr(0, 5) == "HTTP/") {  // a new response (after a 100 Continue, a redirect)
        t->retryAfterHeader.reset();
        return line.size();
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        if (name == "retry-after")
            t->retryAfterHeader = std::string(line.substr(colon + 1));
    }
    return line.size();
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const std::string_view bytes(data, size * count);
    t->lastByte = std::chrono::steady_clock::now();
    if (t->result->httpStatus == 0)
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->result->httpStatus);
    t->received += bytes.size();
    if (t->received > kMaxResponseBytes) {
        t->overLimit = "the response is larger than " + std::to_string(kMaxResponseBytes >> 20) + " MiB";
        return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    }
    if (t->streamingOk()) {
        for (const auto& event : t->decoder.feed(bytes)) {
            t->sawEvent = true;
            t->result->response.applyEvent(event);
        }
        if (t->decoder.overflowed()) {
            t->overLimit = "a stream line is longer than " + std::to_string(kMaxSseLineBytes >> 20) + " MiB";
            return 0;
        }
        if (!t->sawEvent && t->body.size() < kMaxErrorBody)
            t->body.append(bytes.substr(0, kMaxErrorBody - t->body.size()));
    } else if (t->result->httpStatus / 100 == 2) {
        t->body.append(bytes);
    } else if (t->body.size() < kMaxErrorBody) {
        t->body.append(bytes.substr(0, kMaxErrorBody - t->body.size()));
    }
    return bytes.size();
}

// Called by curl at least about once a second, also while nothing arrives.
int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    if (t->spec->abort && t->spec->abort->load())
        return 1;
    const double idle = t->spec->timeouts.idleSeconds;
    if (t->spec->stream && idle > 0.0
        && std::chrono::steady_clock::now() - t->lastByte > std::chrono::duration<double>(idle)) {
        t->idleTimedOut = true;
        return 1;
    }
    return 0;
}

bool isFatalCurlError(CURLcode code)
{
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_LOGIN_DENIED:
        return true;
    default:
        return false;
    }
}

// Decides the outcome once the transfer is over.
void classify(Transfer& t, CURLcode code, const char* curlError)
{
    AttemptResult& r = *t.result;
    const AttemptSpec& spec = *t.spec;
    if (r.httpStatus == 0)
        curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &r.httpStatus);
    long requestBytes = 0;
    curl_easy_getinfo(t.curl, CURLINFO_REQUEST_SIZE, &requestBytes);
    r.requestSent = requestBytes > 0;
    if (t.retryAfterHeader)
        r.retryAfter = parseRetryAfter(*t.retryAfterHeader, std::time(nullptr));

    if (t.streamingOk())
        for (const auto& event : t.decoder.finish()) {
            t.sawEvent = true;
            r.response.applyEvent(event);
        }

    if (code == CURLE_ABORTED_BY_CALLBACK && t.idleTimedOut) {
        r.status = AttemptStatus::Retryable;
        r.message = "no data for " + std::to_string(spec.timeouts.idleSeconds) + " s (idle timeout)";
        if (t.sawEvent)
            r.message = "stream dropped: " + r.message;
        return;
    }
    if (!t.overLimit.empty()) {  // a retry would get the same oversized answer
        r.status = AttemptStatus::Fatal;
        r.message = t.overLimit;
        return;
    }
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        r.status = AttemptStatus::Aborted;
        r.message = "aborted by a hard stop";
        return;
    }
    // A stream whose every choice finished is complete even if the connection then broke:
    // asking again would pay twice for the same samples.
    const bool streamComplete = t.streamingOk() && !r.response.error()
        && (r.response.allFinished(spec.expectedChoices)
            || (r.response.sawDone() && r.response.hasChoices(spec.expectedChoices)));
    if (code != CURLE_OK && !streamComplete) {
        r.status = isFatalCurlError(code) ? AttemptStatus::Fatal : AttemptStatus::Retryable;
        r.message = std::string(curl_easy_strerror(code));
        if (curlError && *curlError)
            r.message += std::string(" (") + curlError + ")";
        if (t.streamingOk() && t.sawEvent)
            r.message = "stream dropped: " + r.message;
        return;
    }
    if (r.httpStatus / 100 != 2) {
        r.status = isRetryableStatus(r.httpStatus) ? AttemptStatus::Retryable
                                                   : AttemptStatus::Fatal;
        r.message = "HTTP " + std::to_string(r.httpStatus) + ": " + serverErrorMessage(t.body, spec.apiKey);
        return;
    }
    if (!spec.stream)
        r.response.applyResponse(t.body);
    if (r.response.error()) {
        r.status = AttemptStatus::Retryable;
        r.message = *r.response.error();
        return;
    }
    if (spec.stream && !t.sawEvent) {
        r.status = AttemptStatus::Retryable;
        r.message = "no events in the stream: " + serverErrorMessage(t.body, spec.apiKey);
        return;
    }
    if (spec.stream && !streamComplete) {
        r.status = AttemptStatus::Retryable;
        r.message = "stream ended without [DONE] or finish_reason";
        return;
    }
    if (!r.response.hasChoices(spec.expectedChoices)) {
        r.status = AttemptStatus::Retryable;
        r.message = "expected choices 0 to " + std::to_string(spec.expectedChoices - 1) + ", got "
            + std::to_string(r.response.choices().size()) + " choice(s)";
        return;
    }
    r.status = AttemptStatus::Done;
}

long millis(double seconds)
{
    return seconds > 0.0 ? long(std::ceil(seconds * 1000.0)) : 0L;
}

}  // namespace

HttpSession::HttpSession()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_curl = curl_easy_init();
    if (!m_curl)
        throw Error(ErrorCode::Internal, "curl_easy_init failed");
}

HttpSession::~HttpSession()
{
    curl_easy_cleanup(m_curl);
}

AttemptResult HttpSession::post(const AttemptSpec& spec)
{
    AttemptResult result;
    result.response = ChatAccumulator(spec.reasoningField, spec.apiKey);
    Transfer t;
    t.curl = m_curl;
    t.spec = &spec;
    t.result = &result;

    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        &curl_slist_free_all);
    auto addHeader = [&](const std::string& h) {
        headers.reset(curl_slist_append(headers.release(), h.c_str()));
    };
    addHeader("Content-Type: application/json");
    addHeader(spec.stream ? "Accept: text/event-stream" : "Accept: application/json");
    if (!spec.apiKey.empty())
        addHeader("Authorization: Bearer " + spec.apiKey);

    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_reset(m_curl);
    curl_easy_setopt(m_curl, CURLOPT_URL, spec.url.c_str());
    curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
    curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, spec.body.data());
    curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(spec.body.size()));
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT_MS, millis(spec.timeouts.connectSeconds));
    curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, millis(spec.timeouts.totalSeconds));

    const auto start = std::chrono::steady_clock::now();
    t.lastByte = start;
    const CURLcode code = curl_easy_perform(m_curl);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    classify(t, code, errorBuffer);
    return result;
}

}  // namespace distill::teacher
