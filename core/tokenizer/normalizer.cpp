#include "core/tokenizer/normalizer.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <algorithm>

namespace distill::tokenizer {

namespace {

const icu::Normalizer2* form(const std::string& type)
{
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = nullptr;
    if (type == "NFC")
        n = icu::Normalizer2::getNFCInstance(status);
    else if (type == "NFD")
        n = icu::Normalizer2::getNFDInstance(status);
    else if (type == "NFKC")
        n = icu::Normalizer2::getNFKCInstance(status);
    else if (type == "NFKD")
        n = icu::Normalizer2::getNFKDInstance(status);
    else
        throw Error(ErrorCode::Unsupported, "tokenizer.json: normalizer type '" + type + "' is not supported",
                    "supported normalizers: NFC, NFD, NFKC, NFKD, Sequence");
    if (U_FAILURE(status) || !n)
        throw Error(ErrorCode::Internal, std::string("ICU normalizer unavailable: ") + u_errorName(status));
    return n;
}

void collect(const nlohmann::json& node, std::vector<const void*>& forms)
{
    if (node.is_null())
        return;
    if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
        throw Error(ErrorCode::Parse, "tokenizer.json: normalizer without a \"type\"");
    const std::string type = node["type"];
    if (type == "Sequence") {
        if (!node.contains("normalizers") || !node["normalizers"].is_array())
            throw Error(ErrorCode::Parse, "tokenizer.json: Sequence normalizer without \"normalizers\"");
        for (const auto& child : node["normalizers"])
            collect(child, forms);
        return;
    }
    forms.push_back(form(type));
}

const icu::Normalizer2& at(const void* p)
{
    return *static_cast<const icu::Normalizer2*>(p);
}

}  // namespace

Normalizer Normalizer::fromJson(const nlohmann::json& node)
{
    Normalizer n;
    collect(node, n.m_forms);
    return n;
}

bool Normalizer::apply(std::string_view in, std::string& out, std::vector<NormalizedSegment>* alignment) const
{
    if (m_forms.empty() || std::all_of(in.begin(), in.end(), [](char c) { return std::uint8_t(c) < 0x80; }))
        return false;
    UErrorCode status = U_ZERO_ERROR;
    bool normalized = true;
    for (const void* f : m_forms) {
        normalized = normalized && at(f).isNormalizedUTF8(icu::StringPiece(in.data(), int32_t(in.size())), status);
    }
    if (U_FAILURE(status))
        throw Error(ErrorCode::Internal, std::string("ICU normalization failed: ") + u_errorName(status));
    if (normalized)
        return false;

    out.clear();
    if (!alignment) {
        std::string cur(in);
        for (const void* f : m_forms) {
            out.clear();
            icu::StringByteSink<std::string> sink(&out);
            at(f).normalizeUTF8(0, icu::StringPiece(cur.data(), int32_t(cur.size())), sink, nullptr, status);
            cur.swap(out);
        }
        out.swap(cur);
        if (U_FAILURE(status))
            throw Error(ErrorCode::Internal, std::string("ICU normalization failed: ") + u_errorName(status));
        return true;
    }
    // Split at code points that start a normalization segment for every form: each segment
    // normalizes on its own, which gives an exact segment-level alignment.
    alignment->clear();
    std::string segmentOut;
    std::size_t segStart = 0, pos = 0;
    auto flush = [&](std::size_t segEnd) {
        std::string cur(in.substr(segStart, segEnd - segStart));
        for (const void* f : m_forms) {
            segmentOut.clear();
            icu::StringByteSink<std::string> sink(&segmentOut);
            at(f).normalizeUTF8(0, icu::StringPiece(cur.data(), int32_t(cur.size())), sink, nullptr, status);
            cur.swap(segmentOut);
        }
        out += cur;
        alignment->push_back({std::uint32_t(out.size()), std::uint32_t(segEnd)});
        segStart = segEnd;
    };
    while (pos < in.size()) {
        const std::size_t here = pos;
        const char32_t cp = nextCodePoint(in, pos);
        if (here == segStart)
            continue;
        bool boundary = true;
        for (const void* f : m_forms)
            boundary = boundary && at(f).hasBoundaryBefore(UChar32(cp));
        if (boundary)
            flush(here);
    }
    if (segStart < in.size())
        flush(in.size());
    if (U_FAILURE(status))
        throw Error(ErrorCode::Internal, std::string("ICU normalization failed: ") + u_errorName(status));
    return true;
}

std::uint32_t Normalizer::toOriginal(const std::vector<NormalizedSegment>& alignment, std::uint32_t offset,
                                     bool isEnd)
{
    // The segment holding the offset: a start maps to its segment's start, an end to its end.
    if (offset == 0)
        return 0;
    auto it = std::lower_bound(alignment.begin(), alignment.end(), offset,
                               [isEnd](const NormalizedSegment& s, std::uint32_t off) {
                                   return isEnd ? s.normalizedEnd < off : s.normalizedEnd <= off;
                               });
    if (it == alignment.end())
        return alignment.empty() ? offset : alignment.back().originalEnd;
    if (isEnd)
        return it->originalEnd;
    return it == alignment.begin() ? 0 : std::prev(it)->originalEnd;
}

}  // namespace distill::tokenizer
