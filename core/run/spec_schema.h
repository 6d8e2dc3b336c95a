// SpecSchema: the one description of a job kind's keys — name, type, default, range or choices,
// unit, a one-line doc, group, basic/advanced, nested sections and lists of sections. The strict
// YAML reader, the resolved spec (defaults filled in, in schema order), `distillery-cli run --explain
// KIND` (JSON and Markdown) and the desktop app's job forms all come from it, so a new key reaches
// the window with no widget code. A kind reads its typed struct from the resolved spec.
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distill::run {

enum class KeyType {
    Bool,
    Integer,
    Number,
    Text,         // free text (paths, names, prompts)
    Choice,       // one of `choices`
    TextList,     // a list of text values (a single value reads as a list of one)
    Section,      // a mapping of `children`
    SectionList,  // a list of mappings, each with the keys `children`
    Map,          // a free mapping passed on as it is (e.g. extra fields of a request body)
};

struct KeyDoc {
    std::string name;                       // the key in its mapping
    KeyType type = KeyType::Text;
    nlohmann::ordered_json defaultValue;    // null: no default (required, or left out when absent)
    std::optional<double> min, max;         // Integer, Number
    std::vector<std::string> choices;       // Choice
    std::string unit;                       // "steps", "tokens", ...
    std::string doc;                        // one line, shown as the form's tooltip
    std::string group;                      // the form's group; children inherit their section's
    bool advanced = false;                  // behind the form's "advanced" switch
    bool required = false;
    bool optionalSection = false;           // Section: absent unless given (its presence switches a feature on)
    std::string discriminator;              // Section: the child key whose value selects the variant
    std::vector<std::string> when;          // only valid where the parent's discriminator has one of these values
    std::vector<KeyDoc> children;           // Section, SectionList
};

// A resolved spec with where each value came from, for errors that span keys.
struct ResolvedSpec {
    nlohmann::ordered_json values;          // every key of the schema, in schema order
    std::map<std::string, int> lines;       // "train.lr" -> its line in the spec text (keys given only)
    YAML::Node source;                      // the mapping it was read from (line marks kept), for a
                                            // kind that reads nested job specs (a pipeline's stages)
    int line(const std::string& path) const;  // the key's line, else its section's, else 1
};

class SpecSchema {
public:
    SpecSchema(std::string kind, std::string doc, std::vector<KeyDoc> keys);

    const std::string& kind() const { return m_kind; }
    const std::string& doc() const { return m_doc; }
    const std::vector<KeyDoc>& keys() const { return m_keys; }

    // Reads a spec mapping strictly (`kind` and `name` are skipped): unknown keys, wrong types, values
    // out of range or not among the choices, missing required keys are InvalidArgument errors naming
    // the key and its line. Defaults are filled in; optional sections stay absent unless given.
    ResolvedSpec resolve(const YAML::Node& spec) const;
    // The resolved spec as YAML text: kind, name, then the keys in schema order.
    std::string yaml(const std::string& name, const nlohmann::ordered_json& values) const;
    // The description as JSON: {"kind", "doc", "keys": [{"path", "name", "type", "default", "min", ...}]}.
    nlohmann::ordered_json describe() const;
    // The description as a Markdown table per group, for docs/.
    std::string markdown() const;

    // Every key, depth first, with its dotted path ("train.lr"; list items as "data.datasets[].name").
    std::vector<std::pair<std::string, const KeyDoc*>> allKeys() const;

private:
    std::string m_kind, m_doc;
    std::vector<KeyDoc> m_keys;
};

std::string_view keyTypeName(KeyType type);  // "bool", "integer", "number", "text", "choice", ...

// A key's description beside a default config that gives its type and default (keysFromDefaults).
struct KeyNote {
    std::string path;                     // "sampling.temperature"
    std::string doc;
    std::optional<double> min = std::nullopt, max = std::nullopt;
    std::vector<std::string> choices = {};
    std::string unit = {};
    bool advanced = false;
    std::optional<KeyType> type = std::nullopt;  // needed when the default is null
};
// The keys of a config whose defaults another library owns, as JSON (its struct's own defaults: one
// source of truth), in the order of `notes`, typed by the default values and described by the notes.
// Every key of `defaults` must have a note and every note a key (Internal error otherwise, which a
// test of each schema catches).
std::vector<KeyDoc> keysFromDefaults(const nlohmann::json& defaults, const std::vector<KeyNote>& notes);

// Short constructors for schema tables.
namespace key {
KeyDoc make(std::string name, KeyType type, nlohmann::ordered_json fallback = nullptr);
KeyDoc flag(std::string name, bool fallback, std::string doc);
KeyDoc integer(std::string name, long long fallback, double min, double max, std::string doc, std::string unit = {});
KeyDoc number(std::string name, double fallback, double min, double max, std::string doc, std::string unit = {});
KeyDoc text(std::string name, std::string fallback, std::string doc);
KeyDoc required(std::string name, std::string doc);  // text that must be given
KeyDoc choice(std::string name, std::string fallback, std::vector<std::string> choices, std::string doc);
KeyDoc list(std::string name, std::vector<std::string> fallback, std::string doc);
KeyDoc section(std::string name, std::string group, std::vector<KeyDoc> children, std::string doc = {});
// A section whose presence switches a feature on (absent by default).
KeyDoc optionalSection(std::string name, std::string group, std::vector<KeyDoc> children, std::string doc);
KeyDoc sectionList(std::string name, std::vector<KeyDoc> children, nlohmann::ordered_json fallback, std::string doc);
KeyDoc advanced(KeyDoc k);                               // behind the form's advanced switch
KeyDoc only(std::vector<std::string> when, KeyDoc k);    // valid for these discriminator values only
}  // namespace key

// An InvalidArgument error "line N: <message>" at the key's line in `spec`.
[[noreturn]] void failAt(const ResolvedSpec& spec, const std::string& path, const std::string& message,
                         const std::string& hint = {});

}  // namespace distill::run
