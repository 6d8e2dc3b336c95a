#include "core/tokenizer/tokenizer.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace distill::tokenizer {

namespace {

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot open " + path.string(),
                    "a tokenizer folder holds tokenizer.json (and tokenizer_config.json) from a Hugging Face model");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

nlohmann::json parseJson(std::string_view text, const char* what)
{
    util::checkJsonDepth(text, what);
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, std::string(what) + " is not valid JSON: " + e.what());
    }
}

// A token string of tokenizer_config.json: "<s>" or {"content": "<s>", ...}.
std::optional<std::string> tokenString(const nlohmann::json& cfg, const char* key)
{
    const auto it = cfg.find(key);
    if (it == cfg.end() || it->is_null())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    throw Error(ErrorCode::Parse, std::string("tokenizer_config.json: \"") + key + "\" is neither a string nor a token");
}

std::vector<std::int32_t> specialIds(const nlohmann::json& specials, const std::string& name)
{
    const auto it = specials.find(name);
    if (it == specials.end() || !it->contains("ids") || !(*it)["ids"].is_array())
        throw Error(ErrorCode::Parse, "tokenizer.json: TemplateProcessing special token '" + name + "' has no ids");
    std::vector<std::int32_t> ids;
    for (const auto& id : (*it)["ids"]) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() >= kMaxVocabSize)
            throw Error(ErrorCode::Parse, "tokenizer.json: TemplateProcessing special token '" + name + "' has id "
                                              + id.dump() + ", outside 0 to " + std::to_string(kMaxVocabSize - 1));
        ids.push_back(id.get<std::int32_t>());
    }
    return ids;
}

void readPostProcessor(const nlohmann::json& node, std::vector<std::int32_t>& prefix, std::vector<std::int32_t>& suffix)
{
    if (node.is_null())
        return;
    const std::string type = node.value("type", std::string());
    if (type == "ByteLevel")
        return;  // changes offsets only
    if (type == "Sequence") {
        for (const auto& child : node.value("processors", nlohmann::json::array()))
            readPostProcessor(child, prefix, suffix);
        return;
    }
    if (type == "TemplateProcessing") {
        const auto& single = node.at("single");
        const auto& specials = node.at("special_tokens");
        bool seenSequence = false;
        for (const auto& piece : single) {
            if (piece.contains("Sequence")) {
                if (piece["Sequence"].value("id", std::string("A")) != "A")
                    throw Error(ErrorCode::Unsupported, "tokenizer.json: TemplateProcessing single with sequence B");
                seenSequence = true;
            } else if (piece.contains("SpecialToken")) {
                auto ids = specialIds(specials, piece["SpecialToken"].at("id").get<std::string>());
                auto& target = seenSequence ? suffix : prefix;
                target.insert(target.end(), ids.begin(), ids.end());
            } else {
                throw Error(ErrorCode::Parse, "tokenizer.json: TemplateProcessing piece is neither Sequence nor SpecialToken");
            }
        }
        return;
    }
    throw Error(ErrorCode::Unsupported, "tokenizer.json: post_processor type '" + type + "' is not supported",
                "supported post-processors: TemplateProcessing, ByteLevel, Sequence");
}

bool readDecoder(const nlohmann::json& node)
{
    if (node.is_null())
        return false;
    const std::string type = node.value("type", std::string());
    if (type == "ByteLevel")
        return true;
    if (type == "Sequence") {
        bool byteLevel = false;
        for (const auto& child : node.value("decoders", nlohmann::json::array()))
            byteLevel = readDecoder(child) || byteLevel;
        return byteLevel;
    }
    throw Error(ErrorCode::Unsupported, "tokenizer.json: decoder type '" + type + "' is not supported",
                "supported decoders: ByteLevel, Sequence");
}

// Parses tokenizer.json, reading model.vocab and model.merges straight into `tables` instead of
// the JSON tree (they are nearly all of an 11 MB file); the tree keeps them as an empty {} / [].
nlohmann::json parseTokenizerJson(std::string_view text, BpeTables& tables)
{
    using Event = nlohmann::json::parse_event_t;
    std::string topKey, modelKey, vocabKey;
    std::vector<std::string> pair;
    auto fail = [&](std::string what) {
        if (tables.error.empty())
            tables.error = std::move(what);
    };
    const nlohmann::json::parser_callback_t callback = [&](int depth, Event event, nlohmann::json& parsed) {
        if (event == Event::key) {
            if (depth == 1)
                topKey = parsed.get<std::string>();
            else if (depth == 2 && topKey == "model")
                modelKey = parsed.get<std::string>();
            else if (depth == 3 && topKey == "model" && modelKey == "vocab") {
                vocabKey = parsed.get<std::string>();
                return false;
            }
            return true;
        }
        if (topKey != "model" || depth < 3)
            return true;
        if (modelKey == "vocab" && depth == 3 && event == Event::value) {
            if (parsed.is_number_integer())
                tables.vocab.emplace_back(std::move(vocabKey), parsed.get<std::int64_t>());
            else
                fail("vocab id of '" + vocabKey + "' is not a non-negative integer");
            return false;
        }
        if (modelKey == "merges") {
            if (depth == 3 && event == Event::value) {
                if (!parsed.is_string()) {
                    fail("merge #" + std::to_string(tables.merges.size()) + " is neither \"a b\" nor [\"a\", \"b\"]");
                    return false;
                }
                const auto& s = parsed.get_ref<const std::string&>();
                const auto space = s.find(' ');
                if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                    fail("merge '" + s + "' is not two tokens separated by one space");
                else
                    tables.merges.emplace_back(s.substr(0, space), s.substr(space + 1));
                return false;
            }
            if (depth == 3 && event == Event::array_start) {
                pair.clear();
                return true;
            }
            if (depth == 4 && event == Event::value) {
                if (parsed.is_string())
                    pair.push_back(parsed.get<std::string>());
                else
                    pair.push_back("\x01");  // marks a non-string element
                return false;
            }
            if (depth == 3 && event == Event::array_end) {
                if (pair.size() != 2 || pair[0] == "\x01" || pair[1] == "\x01")
                    fail("merge #" + std::to_string(tables.merges.size()) + " is neither \"a b\" nor [\"a\", \"b\"]");
                else
                    tables.merges.emplace_back(std::move(pair[0]), std::move(pair[1]));
                return false;
            }
            if (depth == 3)
                fail("merge #" + std::to_string(tables.merges.size()) + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
        return true;
    };
    util::checkJsonDepth(text, "tokenizer.json");
    try {
        return nlohmann::json::parse(text.begin(), text.end(), callback);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, std::string("tokenizer.json is not valid JSON: ") + e.what());
    }
}

}  // namespace

TokenizerConfig TokenizerConfig::fromJsonText(std::string_view text)
{
    const auto cfg = parseJson(text, "tokenizer_config.json");
    if (!cfg.is_object())
        throw Error(ErrorCode::Parse, "tokenizer_config.json is not a JSON object");
    TokenizerConfig c;
    c.bosToken = tokenString(cfg, "bos_token");
    c.eosToken = tokenString(cfg, "eos_token");
    c.padToken = tokenString(cfg, "pad_token");
    c.unkToken = tokenString(cfg, "unk_token");
    if (cfg.contains("add_bos_token") && cfg["add_bos_token"].is_boolean())
        c.addBosToken = cfg["add_bos_token"].get<bool>();
    if (cfg.contains("add_eos_token") && cfg["add_eos_token"].is_boolean())
        c.addEosToken = cfg["add_eos_token"].get<bool>();
    c.tokenizerClass = cfg.value("tokenizer_class", std::string());
    if (const auto t = cfg.find("chat_template"); t != cfg.end()) {
        if (t->is_string()) {
            c.chatTemplate = t->get<std::string>();
        } else if (t->is_array()) {  // named templates: use "default"
            for (const auto& named : *t)
                if (named.value("name", std::string()) == "default")
                    c.chatTemplate = named.value("template", std::string());
        }
    }
    return c;
}

std::unique_ptr<Tokenizer> Tokenizer::fromDirectory(const std::filesystem::path& dir)
{
    TokenizerConfig config;
    if (std::filesystem::exists(dir / "tokenizer_config.json"))
        config = TokenizerConfig::fromJsonText(readFile(dir / "tokenizer_config.json"));
    return fromJsonText(readFile(dir / "tokenizer.json"), std::move(config));
}

std::unique_ptr<Tokenizer> Tokenizer::fromJsonText(std::string_view tokenizerJson, TokenizerConfig config)
{
    BpeTables tables;
    const auto root = parseTokenizerJson(tokenizerJson, tables);
    if (!root.is_object() || !root.contains("model"))
        throw Error(ErrorCode::Parse, "tokenizer.json has no \"model\"", "is this a Hugging Face tokenizer.json?");
    std::unique_ptr<Tokenizer> t(new Tokenizer());
    try {
        t->m_normalizer = Normalizer::fromJson(root.value("normalizer", nlohmann::json()));
        t->m_preTokenizer = PreTokenizer::fromJson(root.value("pre_tokenizer", nlohmann::json()));
        t->m_model = BpeModel::fromJson(root["model"], std::move(tables));
        if (!t->m_preTokenizer || !t->m_preTokenizer->isByteLevel())
            throw Error(ErrorCode::Unsupported, "tokenizer.json: BPE without a ByteLevel pre_tokenizer is not supported",
                        "only byte-level BPE tokenizers are implemented");
        readPostProcessor(root.value("post_processor", nlohmann::json()), t->m_prefixIds, t->m_suffixIds);
        t->m_byteLevelDecoder = readDecoder(root.value("decoder", nlohmann::json()));

        for (const auto& a : root.value("added_tokens", nlohmann::json::array())) {
            AddedToken tok;
            const auto& id = a.at("id");
            if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() >= kMaxVocabSize)
                throw Error(ErrorCode::Parse, "tokenizer.json: added token id " + id.dump() + " is outside 0 to "
                                                  + std::to_string(kMaxVocabSize - 1));
            tok.id = id.get<std::int32_t>();
            tok.content = a.at("content").get<std::string>();
            tok.special = a.value("special", false);
            tok.lstrip = a.value("lstrip", false);
            tok.rstrip = a.value("rstrip", false);
            tok.normalized = a.value("normalized", !tok.special);
            tok.singleWord = a.value("single_word", false);
            t->m_added.push_back(tok);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, std::string("tokenizer.json is malformed: ") + e.what());
    }
    std::sort(t->m_added.begin(), t->m_added.end(), [](const AddedToken& a, const AddedToken& b) { return a.id < b.id; });
    for (const auto& tok : t->m_added) {
        if (!tok.normalized) {
            t->m_rawMatcher.add(tok, tok.content);
            continue;
        }
        std::string normalized;
        if (!isValidUtf8(tok.content))
            throw Error(ErrorCode::Parse, "tokenizer.json: added token content is not valid UTF-8");
        t->m_normalizedMatcher.add(tok, t->m_normalizer.apply(tok.content, normalized, nullptr) ? normalized
                                                                                                : tok.content);
    }

    // transformers rebuilds the post-processor of Llama-style tokenizers from add_bos/add_eos_token.
    const bool llamaStyle = config.tokenizerClass == "LlamaTokenizerFast" || config.tokenizerClass == "LlamaTokenizer";
    if (llamaStyle && (config.addBosToken || config.addEosToken)) {
        t->m_config = config;
        t->m_prefixIds.clear();
        t->m_suffixIds.clear();
        if (config.addBosToken.value_or(false)) {
            const auto bos = t->bosId();
            if (!bos)
                throw Error(ErrorCode::Parse, "tokenizer_config.json: add_bos_token is set but bos_token is unknown");
            t->m_prefixIds.push_back(*bos);
        }
        if (config.addEosToken.value_or(false)) {
            const auto eos = t->eosId();
            if (!eos)
                throw Error(ErrorCode::Parse, "tokenizer_config.json: add_eos_token is set but eos_token is unknown");
            t->m_suffixIds.push_back(*eos);
        }
    }
    t->m_config = std::move(config);
    return t;
}

void Tokenizer::encodePlain(std::string_view text, std::uint32_t base, BpeCache& cache, Encoding& out,
                            bool withOffsets) const
{
    std::vector<NormalizedSegment> alignment;
    std::string normalized;
    const bool changed = m_normalizer.apply(text, normalized, withOffsets ? &alignment : nullptr);
    const std::string_view sub = changed ? std::string_view(normalized) : text;
    auto toOriginal = [&](std::uint32_t off, bool isEnd) {
        return base + (changed ? Normalizer::toOriginal(alignment, off, isEnd) : off);
    };

    std::vector<TextSegment> segments;
    if (m_normalizedMatcher.empty())
        segments.push_back({0, std::uint32_t(sub.size()), -1});
    else
        m_normalizedMatcher.split(sub, segments);

    std::vector<Piece> pieces;
    for (const TextSegment& seg : segments) {
        if (seg.id >= 0) {
            out.ids.push_back(seg.id);
            if (withOffsets)
                out.offsets.push_back({toOriginal(seg.begin, false), toOriginal(seg.end, true)});
            continue;
        }
        pieces.assign(1, Piece{seg.begin, seg.end, false});
        m_preTokenizer->split(sub, pieces);
        for (const Piece& p : pieces) {
            const std::size_t first = out.ids.size();
            m_model.encodeWord(sub.substr(p.begin, p.end - p.begin), p.prefixSpace, out.ids, &cache);
            if (!withOffsets)
                continue;
            // Token byte ranges inside the piece; the virtual prefix space has no source bytes.
            std::int64_t cursor = std::int64_t(p.begin) - (p.prefixSpace ? 1 : 0);
            for (std::size_t i = first; i < out.ids.size(); ++i) {
                const std::int64_t next = cursor + m_model.tokenByteLength(out.ids[i]);
                const auto b = std::uint32_t(std::clamp<std::int64_t>(cursor, p.begin, p.end));
                const auto e = std::uint32_t(std::clamp<std::int64_t>(next, p.begin, p.end));
                out.offsets.push_back({toOriginal(b, false), toOriginal(e, true)});
                cursor = next;
            }
        }
    }
}

void Tokenizer::encodeInto(std::string_view text, bool addSpecialTokens, BpeCache& cache, Encoding& out,
                           bool withOffsets) const
{
    if (!isValidUtf8(text))
        throw Error(ErrorCode::InvalidArgument, "text to tokenize is not valid UTF-8");
    if (text.size() > UINT32_MAX)
        throw Error(ErrorCode::InvalidArgument, "text to tokenize is larger than 4 GiB");
    out.ids.clear();
    out.offsets.clear();
    out.ids.reserve(text.size() / 3 + 4);
    if (addSpecialTokens)
        for (const auto id : m_prefixIds) {
            out.ids.push_back(id);
            if (withOffsets)
                out.offsets.push_back({0, 0});
        }
    std::vector<TextSegment> segments;
    if (m_rawMatcher.empty())
        segments.push_back({0, std::uint32_t(text.size()), -1});
    else
        m_rawMatcher.split(text, segments);
    for (const TextSegment& seg : segments) {
        if (seg.id >= 0) {
            out.ids.push_back(seg.id);
            if (withOffsets)
                out.offsets.push_back({seg.begin, seg.end});
        } else {
            encodePlain(text.substr(seg.begin, seg.end - seg.begin), seg.begin, cache, out, withOffsets);
        }
    }
    if (addSpecialTokens)
        for (const auto id : m_suffixIds) {
            out.ids.push_back(id);
            if (withOffsets)
                out.offsets.push_back({std::uint32_t(text.size()), std::uint32_t(text.size())});
        }
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    return encodeShared(text, addSpecialTokens, false).ids;
}

Encoding Tokenizer::encodeWithOffsets(std::string_view text, bool addSpecialTokens) const
{
    return encodeShared(text, addSpecialTokens, true);
}

Encoding Tokenizer::encodeShared(std::string_view text, bool addSpecialTokens, bool withOffsets) const
{
    Encoding out;
    std::unique_lock lock(m_cacheMutex, std::try_to_lock);
    if (lock.owns_lock()) {
        encodeInto(text, addSpecialTokens, m_cache, out, withOffsets);
    } else {  // another thread holds the shared cache: use a private one
        BpeCache local;
        encodeInto(text, addSpecialTokens, local, out, withOffsets);
    }
    return out;
}

std::vector<std::vector<std::int32_t>> Tokenizer::encodeBatch(const std::vector<std::string>& texts,
                                                              bool addSpecialTokens, unsigned threads) const
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, unsigned(std::max<std::size_t>(1, texts.size())));
    std::vector<std::vector<std::int32_t>> results(texts.size());
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned worker) {
        try {
            BpeCache cache;
            Encoding enc;
            for (std::size_t i = worker; i < texts.size(); i += threads) {
                encodeInto(texts[i], addSpecialTokens, cache, enc, false);
                results[i] = std::move(enc.ids);
            }
        } catch (...) {
            errors[worker] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < threads; ++w)
        pool.emplace_back(work, w);
    work(0);
    for (auto& th : pool)
        th.join();
    for (const auto& e : errors)
        if (e)
            std::rethrow_exception(e);
    return results;
}

const AddedToken* Tokenizer::addedById(std::int32_t id) const
{
    const auto it = std::lower_bound(m_added.begin(), m_added.end(), id,
                                     [](const AddedToken& a, std::int32_t v) { return a.id < v; });
    return it != m_added.end() && it->id == id ? &*it : nullptr;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids, bool skipSpecialTokens) const
{
    std::string bytes;
    std::string joined;  // without a decoder, Hugging Face joins the tokens with spaces
    for (const std::int32_t id : ids) {
        std::string_view token;
        if (const AddedToken* a = addedById(id)) {
            if (skipSpecialTokens && a->special)
                continue;
            token = a->content;
        } else if (const std::string* t = m_model.idToToken(id)) {
            token = *t;
        } else {
            continue;
        }
        if (!m_byteLevelDecoder) {
            if (!joined.empty())
                joined += ' ';
            joined.append(token);
        } else if (auto raw = byteLevelToBytes(token)) {
            bytes += *raw;
        } else {
            bytes.append(token);
        }
    }
    return m_byteLevelDecoder ? utf8Lossy(bytes) : joined;
}

std::optional<std::int32_t> Tokenizer::tokenToId(std::string_view token) const
{
    for (const auto& a : m_added)
        if (a.content == token)
            return a.id;
    return m_model.tokenToId(token);
}

std::optional<std::string> Tokenizer::idToToken(std::int32_t id) const
{
    if (const AddedToken* a = addedById(id))
        return a->content;
    if (const std::string* t = m_model.idToToken(id))
        return *t;
    return std::nullopt;
}

bool Tokenizer::isSpecial(std::int32_t id) const
{
    const AddedToken* a = addedById(id);
    return a && a->special;
}

std::size_t Tokenizer::vocabSize() const
{
    std::int32_t maxId = m_model.maxId();
    if (!m_added.empty())
        maxId = std::max(maxId, m_added.back().id);
    return std::size_t(maxId + 1);
}

std::optional<std::int32_t> Tokenizer::idOf(const std::optional<std::string>& token) const
{
    return token ? tokenToId(*token) : std::nullopt;
}

}  // namespace distill::tokenizer
