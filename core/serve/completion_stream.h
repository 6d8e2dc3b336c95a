// CompletionStream: the server-sent events of one streamed request. The engine thread feeds tokens
// and the end; the HTTP thread takes the encoded events as they become ready.
#pragma once

#include "core/serve/api_response.h"
#include "core/serve/reply_split.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace distill::serve {

class CompletionStream {
public:
    // Queues the opening chunks (chat: the assistant role of every choice).
    CompletionStream(const ServedModel& model, ApiRequest request, ResponseHead head);

    // Engine thread.
    void onToken(int sample, std::int64_t token);
    void onDone(const std::vector<infer::Completion>& completions);
    void onError(const std::string& message);

    // HTTP thread: the events ready so far (waits up to `wait` for one); nullopt once the stream
    // has ended and everything was taken.
    std::optional<std::string> take(std::chrono::milliseconds wait);

private:
    struct Choice {
        std::vector<std::int64_t> ids;
        ReplyStreamer streamer;
        std::string sentText;  // text completions: the text sent so far
    };

    // The new text of a choice as chunks (caller holds the lock).
    void emitText(int sample, std::string_view text, bool final);
    // Appends the last events and ends the stream.
    void end(std::string events);

    const ServedModel& m_model;
    ApiRequest m_request;
    ResponseHead m_head;
    std::vector<Choice> m_choices;

    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::string m_pending;
    bool m_ended = false;
};

}  // namespace distill::serve
