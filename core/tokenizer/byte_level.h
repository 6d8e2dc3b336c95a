// Byte-level BPE alphabet (GPT-2's bytes_to_unicode) and the UTF-8 helpers the tokenizer needs:
// validation, code point iteration and lossy decoding with Rust's from_utf8_lossy semantics.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace distill::tokenizer {

// The printable code point that byte-level BPE uses for each raw byte, and its inverse.
const std::array<char32_t, 256>& byteToCodePoint();
// Raw byte for a byte-level code point, or nullopt when the code point is not in the alphabet.
std::optional<std::uint8_t> codePointToByte(char32_t cp);

// Decodes a byte-level token string ("Ġthe") into raw bytes (" the"); nullopt when a character is
// outside the byte-level alphabet.
std::optional<std::string> byteLevelToBytes(std::string_view token);
// Encodes raw bytes into their byte-level string.
std::string bytesToByteLevel(std::string_view bytes);

// Reads the code point at `pos` of valid UTF-8 and advances `pos` past it.
char32_t nextCodePoint(std::string_view s, std::size_t& pos);
// Appends the UTF-8 encoding of `cp`.
void appendUtf8(std::string& out, char32_t cp);
// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool isValidUtf8(std::string_view s);
// Replaces each maximal ill-formed subsequence by U+FFFD, as Rust's String::from_utf8_lossy does.
std::string utf8Lossy(std::string_view bytes);

}  // namespace distill::tokenizer
