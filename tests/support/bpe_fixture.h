// A tiny checkpoint with a tokenizer: a copy of a fixture of tests/fixtures/models given a byte-level
// BPE tokenizer.json (and tokenizer_config.json) of the model's vocabulary size, for the tests that
// need both (GGUF export, llama.cpp).
#pragma once

#include "tests/support/model_fixtures.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace distill::test {

// GPT-2's printable stand-ins for the 256 bytes (byte-level BPE's alphabet), as UTF-8.
inline std::vector<std::string> byteAlphabet()
{
    std::vector<int> bs, cs;
    for (int b = 0; b < 256; ++b)
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF))
            bs.push_back(b);
    cs = bs;
    int n = 0;
    for (int b = 0; b < 256; ++b)
        if (std::find(bs.begin(), bs.end(), b) == bs.end()) {
            bs.push_back(b);
            cs.push_back(256 + n++);
        }
    std::vector<std::string> out(256);
    for (std::size_t i = 0; i < bs.size(); ++i) {
        const int c = cs[i];
        std::string utf8;
        if (c < 0x80)
            utf8 += char(c);
        else {
            utf8 += char(0xC0 | (c >> 6));
            utf8 += char(0x80 | (c & 0x3F));
        }
        out[std::size_t(bs[i])] = utf8;
    }
    return out;
}

// A copy of a fixture checkpoint with a byte-level BPE tokenizer of `vocab` ids: three special tokens
// (pad, bos = 1, eos = 2 as the fixtures' configs say), the 256 bytes, then merges of letter pairs.
inline std::filesystem::path withTokenizer(const std::string& fixture, const std::filesystem::path& dir, int vocab)
{
    const std::filesystem::path out = dir / fixture;
    std::filesystem::create_directories(out);
    for (const auto& entry : std::filesystem::directory_iterator(modelFixture(fixture)))
        std::filesystem::copy_file(entry.path(), out / entry.path().filename(), std::filesystem::copy_options::overwrite_existing);
    nlohmann::json ids = nlohmann::json::object();
    nlohmann::json added = nlohmann::json::array();
    const std::vector<std::string> special = {"<|pad|>", "<|bos|>", "<|eos|>"};
    for (const auto& s : special) {
        added.push_back({{"id", ids.size()}, {"content", s}, {"single_word", false}, {"lstrip", false},
                         {"rstrip", false}, {"normalized", false}, {"special", true}});
        ids[s] = ids.size();
    }
    for (const auto& b : byteAlphabet())
        ids[b] = ids.size();
    nlohmann::json merges = nlohmann::json::array();
    const std::string left = "abcdefghijklmnopqrstuvwxyz", right = left + "0123456789";
    for (char x : left)
        for (char y : right)
            if (int(ids.size()) < vocab) {
                merges.push_back(std::string{x, ' ', y});
                ids[std::string{x, y}] = ids.size();
            }
    const nlohmann::json tokenizer = {
        {"version", "1.0"}, {"added_tokens", added}, {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor", nullptr},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
        {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"fuse_unk", false},
                   {"byte_fallback", false}, {"ignore_merges", false}, {"vocab", ids}, {"merges", merges}}}};
    std::ofstream(out / "tokenizer.json") << tokenizer.dump();
    std::ofstream(out / "tokenizer_config.json")
        << nlohmann::json{{"bos_token", "<|bos|>"}, {"eos_token", "<|eos|>"}, {"pad_token", "<|pad|>"},
                {"chat_template", "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"}}
               .dump();
    return out;
}

}  // namespace distill::test
