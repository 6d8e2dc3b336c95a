#include "core/tokenizer/bpe_model.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace distill::tokenizer {

namespace {

constexpr std::size_t kMaxCachedWord = 256;
constexpr std::size_t kMaxCacheEntries = 200000;

std::uint64_t pairKey(std::int32_t a, std::int32_t b)
{
    return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b);
}

Error modelError(const std::string& what)
{
    return Error(ErrorCode::Parse, "tokenizer.json: model: " + what);
}

}  // namespace

const std::vector<std::int32_t>* BpeCache::find(std::string_view word) const
{
    const auto it = m_map.find(word);
    return it == m_map.end() ? nullptr : &it->second;
}

void BpeCache::insert(std::string_view word, std::vector<std::int32_t> ids)
{
    if (word.size() > kMaxCachedWord)
        return;
    if (m_map.size() >= kMaxCacheEntries)
        m_map.clear();
    m_map.emplace(std::string(word), std::move(ids));
}

BpeModel BpeModel::fromJson(const nlohmann::json& model, BpeTables tables)
{
    if (!model.is_object())
        throw modelError("missing or not an object");
    const std::string type = model.value("type", std::string("BPE"));
    if (type != "BPE")
        throw Error(ErrorCode::Unsupported, "tokenizer.json: model type '" + type + "' is not supported",
                    "only byte-level BPE models (Qwen, Llama 3, DeepSeek, GPT-2 style) are implemented");
    if (model.contains("dropout") && model["dropout"].is_number() && model["dropout"].get<double>() > 0.0)
        throw Error(ErrorCode::Unsupported, "tokenizer.json: BPE dropout is not supported");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (model.contains(key) && model[key].is_string() && !model[key].get<std::string>().empty())
            throw Error(ErrorCode::Unsupported, std::string("tokenizer.json: BPE ") + key + " is not supported");
    if (model.value("byte_fallback", false))
        throw Error(ErrorCode::Unsupported, "tokenizer.json: BPE byte_fallback is not supported");
    if (!tables.error.empty())
        throw modelError(tables.error);
    if (!model.contains("vocab") || !model["vocab"].is_object())
        throw modelError("\"vocab\" must be an object of token -> id");
    if (!model.contains("merges") || !model["merges"].is_array())
        throw modelError("\"merges\" must be an array");

    BpeModel m;
    m.m_ignoreMerges = model.value("ignore_merges", false);
    m.m_vocab.reserve(tables.vocab.size());
    m.m_bytesToId.reserve(tables.vocab.size());
    std::int32_t maxId = -1;
    for (const auto& [token, id64] : tables.vocab) {
        if (id64 < 0 || id64 >= kMaxVocabSize)
            throw modelError("vocab id " + std::to_string(id64) + " of '" + token + "' is outside 0 to "
                             + std::to_string(kMaxVocabSize - 1));
        maxId = std::max(maxId, std::int32_t(id64));
    }
    m.m_idToToken.assign(std::size_t(maxId + 1), std::string());
    m.m_byteLength.assign(std::size_t(maxId + 1), 0);
    m.m_byteId.fill(-1);
    for (auto& [token, id64] : tables.vocab) {
        const auto id = std::int32_t(id64);
        if (auto bytes = byteLevelToBytes(token)) {
            m.m_byteLength[std::size_t(id)] = std::uint32_t(bytes->size());
            if (bytes->size() == 1)
                m.m_byteId[std::uint8_t((*bytes)[0])] = id;
            m.m_bytesToId.emplace(std::move(*bytes), id);
        } else {
            m.m_byteLength[std::size_t(id)] = std::uint32_t(token.size());
        }
        m.m_idToToken[std::size_t(id)] = token;
        m.m_vocab.emplace(std::move(token), id);
    }

    m.m_merges.reserve(tables.merges.size());
    std::int32_t rank = 0;
    std::string joined;
    for (const auto& [left, right] : tables.merges) {
        joined.assign(left).append(right);
        const auto a = m.m_vocab.find(left), b = m.m_vocab.find(right), ab = m.m_vocab.find(joined);
        if (a == m.m_vocab.end() || b == m.m_vocab.end() || ab == m.m_vocab.end())
            throw modelError("merge '" + left + " " + right + "' uses a token missing from the vocab");
        m.m_merges.emplace(pairKey(a->second, b->second), Merge{rank, ab->second});
        ++rank;
    }

    if (model.contains("unk_token") && model["unk_token"].is_string()) {
        const auto unk = m.m_vocab.find(model["unk_token"].get<std::string>());
        if (unk != m.m_vocab.end())
            m.m_unk = unk->second;
    }
    return m;
}

void BpeModel::encodeWord(std::string_view bytes, bool prefixSpace, std::vector<std::int32_t>& ids,
                          BpeCache* cache) const
{
    thread_local std::string spaced;
    if (prefixSpace) {
        spaced.assign(1, ' ');
        spaced.append(bytes);
        bytes = spaced;
    }
    if (bytes.empty())
        return;
    if (bytes.size() == 1 && m_byteId[std::uint8_t(bytes[0])] >= 0) {
        ids.push_back(m_byteId[std::uint8_t(bytes[0])]);
        return;
    }
    if (m_ignoreMerges) {
        const auto it = m_bytesToId.find(bytes);
        if (it != m_bytesToId.end()) {
            ids.push_back(it->second);
            return;
        }
    }
    if (cache) {
        if (const auto* hit = cache->find(bytes)) {
            ids.insert(ids.end(), hit->begin(), hit->end());
            return;
        }
    }
    const std::size_t first = ids.size();
    mergeWord(bytes, ids);
    if (cache)
        cache->insert(bytes, std::vector<std::int32_t>(ids.begin() + std::ptrdiff_t(first), ids.end()));
}

void BpeModel::mergeWord(std::string_view bytes, std::vector<std::int32_t>& ids) const
{
    struct Symbol {
        std::int32_t id;
        std::int32_t prev;
        std::int32_t next;
    };
    struct Candidate {
        std::int32_t rank;
        std::int32_t pos;
        std::int32_t id;  // merged id; the candidate is stale if the pair no longer produces it
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap;
    symbols.clear();
    heap.clear();
    for (const char c : bytes) {
        const std::int32_t id = m_byteId[std::uint8_t(c)];
        if (id < 0) {
            if (m_unk)
                symbols.push_back({*m_unk, 0, 0});
            continue;  // Hugging Face drops a symbol missing from the vocab when there is no unk
        }
        symbols.push_back({id, 0, 0});
    }
    const auto n = std::int32_t(symbols.size());
    for (std::int32_t i = 0; i < n; ++i) {
        symbols[std::size_t(i)].prev = i - 1;
        symbols[std::size_t(i)].next = i + 1 < n ? i + 1 : -1;
    }
    auto push = [&](std::int32_t pos) {
        const Symbol& s = symbols[std::size_t(pos)];
        if (s.next < 0)
            return;
        const auto it = m_merges.find(pairKey(s.id, symbols[std::size_t(s.next)].id));
        if (it == m_merges.end())
            return;
        heap.push_back({it->second.rank, pos, it->second.id});
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    for (std::int32_t i = 0; i + 1 < n; ++i)
        push(i);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
        const Candidate c = heap.back();
        heap.pop_back();
        Symbol& left = symbols[std::size_t(c.pos)];
        if (left.id < 0 || left.next < 0)
            continue;
        Symbol& right = symbols[std::size_t(left.next)];
        const auto it = m_merges.find(pairKey(left.id, right.id));
        if (it == m_merges.end() || it->second.id != c.id)
            continue;
        left.id = c.id;
        right.id = -1;
        left.next = right.next;
        if (right.next >= 0)
            symbols[std::size_t(right.next)].prev = c.pos;
        if (left.prev >= 0)
            push(left.prev);
        push(c.pos);
    }
    for (std::int32_t i = n > 0 ? 0 : -1; i >= 0; i = symbols[std::size_t(i)].next)
        ids.push_back(symbols[std::size_t(i)].id);
}

std::optional<std::int32_t> BpeModel::tokenToId(std::string_view token) const
{
    const auto it = m_vocab.find(token);
    if (it == m_vocab.end())
        return std::nullopt;
    return it->second;
}

const std::string* BpeModel::idToToken(std::int32_t id) const
{
    if (id < 0 || std::size_t(id) >= m_idToToken.size() || m_idToToken[std::size_t(id)].empty())
        return nullptr;
    return &m_idToToken[std::size_t(id)];
}

std::uint32_t BpeModel::tokenByteLength(std::int32_t id) const
{
    if (id < 0 || std::size_t(id) >= m_byteLength.size())
        return 0;
    return m_byteLength[std::size_t(id)];
}

}  // namespace distill::tokenizer
