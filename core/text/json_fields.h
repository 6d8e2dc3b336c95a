// JSON (de)serialisation of plain config structs from one field list: a struct's visit function
// names each member once, and toJson/fromJson follow it. Unknown keys are a Parse error naming the key.
#pragma once

#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace distill::text::detail {

template <class T>
void writeJson(nlohmann::json& out, const T& value)
{
    out = value;
}

template <class T>
void writeJson(nlohmann::json& out, const std::optional<T>& value)
{
    out = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

template <class T>
void readJson(const nlohmann::json& in, T& value)
{
    in.get_to(value);
}

template <class T>
void readJson(const nlohmann::json& in, std::optional<T>& value)
{
    if (in.is_null()) {
        value.reset();
    } else {
        T inner{};
        in.get_to(inner);
        value = inner;
    }
}

// visit(structRef, field) calls field("key", member) for each member.
template <class Struct, class Visit>
nlohmann::json fieldsToJson(const Struct& value, Visit visit)
{
    nlohmann::json out = nlohmann::json::object();
    visit(value, [&](const char* key, const auto& member) { writeJson(out[key], member); });
    return out;
}

template <class Struct, class Visit>
void fieldsFromJson(const nlohmann::json& in, Struct& value, Visit visit, std::string_view context)
{
    if (!in.is_object())
        throw Error(ErrorCode::Parse, std::string(context) + " must be an object");
    std::set<std::string, std::less<>> known;
    visit(value, [&](const char* key, auto& member) {
        known.insert(key);
        const auto it = in.find(key);
        if (it == in.end())
            return;
        try {
            readJson(*it, member);
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorCode::Parse, std::string(context) + "." + key + ": " + e.what());
        } catch (const Error& e) {  // a nested struct or an enum name
            throw Error(ErrorCode::Parse, std::string(context) + "." + key + ": " + e.detail(), e.hint());
        }
    });
    for (const auto& item : in.items())
        if (!known.count(item.key()))
            throw Error(ErrorCode::Parse, "unknown key '" + item.key() + "' in " + std::string(context));
}

}  // namespace distill::text::detail
