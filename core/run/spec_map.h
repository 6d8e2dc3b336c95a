// SpecMap: strict reading of one YAML mapping of a job spec. Every key must be read by the job kind's
// parser; finish() turns any key left over into an error that names the key and its line.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace distill::run {

class SpecMap {
public:
    // `where` names the mapping in messages ("" for the top level, "teacher", "prompt", ...).
    // A node that is not a mapping (or is missing) is an InvalidArgument error.
    SpecMap(const YAML::Node& node, std::string where);

    // Parses YAML text (a Parse error with the line on malformed YAML) and reads its top mapping.
    static SpecMap parse(const std::string& text);

    bool has(const std::string& key) const;
    // Typed reads. A missing optional key gives the fallback; a value of the wrong type or outside
    // [min, max] is an InvalidArgument error naming the key and its line.
    std::string text(const std::string& key, const std::string& fallback) const;
    std::string requiredText(const std::string& key) const;
    long long integer(const std::string& key, long long fallback, long long min, long long max) const;
    double number(const std::string& key, double fallback, double min, double max) const;
    bool boolean(const std::string& key, bool fallback) const;
    std::vector<std::string> textList(const std::string& key) const;  // missing: empty
    // A nested mapping; nullopt when the key is absent.
    std::optional<SpecMap> child(const std::string& key) const;
    // The raw node of a key (marked as read); an undefined node when absent.
    YAML::Node node(const std::string& key) const;
    // The whole mapping, for a section another reader checks key by key (no key is marked as read).
    const YAML::Node& mapping() const { return m_node; }

    // Throws InvalidArgument for the first key that no read asked for: "line 7: unknown key
    // 'tempreture' in teacher".
    void finish() const;

    int line() const;  // 1-based line of the mapping
    const std::string& where() const { return m_where; }

private:
    std::string describe(const std::string& key) const;  // "'key' in teacher" / "'key'"
    YAML::Node fetch(const std::string& key) const;
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

    YAML::Node m_node;
    std::string m_where;
    mutable std::set<std::string> m_read;
};

}  // namespace distill::run
