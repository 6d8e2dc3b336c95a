#include "core/formats/record_json.h"

#include "core/util/error.h"

#include <simdjson.h>

#include <string>

namespace distill::formats {

using nlohmann::json;
namespace od = simdjson::ondemand;

namespace {

// Records up to this size keep the thread's parser and padded buffer allocated for the next one.
constexpr std::size_t kKeepBuffersBytes = std::size_t(1) << 20;

// One On-Demand parser per thread with the padded copy of the text it iterates.
struct ThreadParser {
    od::parser parser;
    std::string padded;
};

// A simdjson error while reading the text, with where it happened when simdjson knows.
struct ReadFailure {
    simdjson::error_code code;
};

void check(simdjson::error_code code)
{
    if (code != simdjson::SUCCESS)
        throw ReadFailure{code};
}

[[noreturn]] void tooDeep()
{
    throw Error(ErrorCode::Parse, "record nests arrays or objects deeper than " + std::to_string(kMaxRecordDepth)
                                      + " levels (the import's limit)");
}

// A number as nlohmann types it; `v` is an od::value or the od::document of a scalar document.
template <class V>
json number(V& v)
{
    od::number n;
    const simdjson::error_code code = v.get_number().get(n);
    if (code != simdjson::SUCCESS) {
        // An integer beyond 64 bits (NUMBER_ERROR in simdjson 3.0, BIGINT_ERROR from 3.1): nlohmann
        // reads it as a double (a number out of a double's range fails here as it does there).
        double d = 0;
        if (v.get_double().get(d) == simdjson::SUCCESS)
            return d;
        check(code);
    }
    switch (n.get_number_type()) {
    case od::number_type::floating_point_number:
        return n.get_double();
    case od::number_type::unsigned_integer:
        return n.get_uint64();
    case od::number_type::signed_integer:
        break;
    default:  // big_integer (simdjson >= 3.1), which get_number() reports as an error above
        return n.get_double();
    }
    const std::int64_t i = n.get_int64();
    if (i < 0 || v.is_negative())  // "-0" stays a signed integer
        return i;
    return std::uint64_t(i);
}

template <class V>
json scalar(V& v, od::json_type type)
{
    switch (type) {
    case od::json_type::string: {
        std::string_view s;
        check(v.get_string().get(s));
        return std::string(s);
    }
    case od::json_type::number:
        return number(v);
    case od::json_type::boolean: {
        bool b = false;
        check(v.get_bool().get(b));
        return b;
    }
    case od::json_type::null: {
        bool isNull = false;
        check(v.is_null().get(isNull));
        if (!isNull)
            check(simdjson::N_ATOM_ERROR);
        return nullptr;
    }
    case od::json_type::array:
    case od::json_type::object:
        break;
    }
    check(simdjson::INCORRECT_TYPE);
    return nullptr;
}

// The value and everything in it; `depth` counts the arrays and objects around it. The recursion
// is bounded by kMaxRecordDepth.
json value(od::value& v, int depth)
{
    od::json_type type;
    check(v.type().get(type));
    if (type == od::json_type::object) {
        if (depth >= kMaxRecordDepth)
            tooDeep();
        od::object object;
        check(v.get_object().get(object));
        json out = json::object();
        for (auto entry : object) {
            od::field field;
            check(std::move(entry).get(field));
            std::string_view key;
            check(field.unescaped_key().get(key));
            out[std::string(key)] = value(field.value(), depth + 1);
        }
        return out;
    }
    if (type == od::json_type::array) {
        if (depth >= kMaxRecordDepth)
            tooDeep();
        od::array array;
        check(v.get_array().get(array));
        json out = json::array();
        for (auto entry : array) {
            od::value element;
            check(std::move(entry).get(element));
            out.push_back(value(element, depth + 1));
        }
        return out;
    }
    return scalar(v, type);
}

json document(od::document& doc)
{
    od::json_type type;
    check(doc.type().get(type));
    json out;
    if (type == od::json_type::object || type == od::json_type::array) {
        od::value root;
        check(doc.get_value().get(root));
        out = value(root, 0);
    } else {
        out = scalar(doc, type);
    }
    // Anything after the value is an error (whitespace is not a token).
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
        check(simdjson::TRAILING_CONTENT);
    return out;
}

}  // namespace

json parseRecordJson(std::string_view text)
{
    thread_local ThreadParser thread;
    // After a large record the thread's buffers (several times its size) are released.
    struct Release {
        std::size_t bytes;
        ~Release()
        {
            if (bytes > kKeepBuffersBytes) {
                thread.parser = od::parser();
                std::string().swap(thread.padded);
            }
        }
    } release{text.size()};
    if (text.starts_with("\xEF\xBB\xBF"))  // a byte order mark, as at the start of a concatenated file
        text.remove_prefix(3);
    std::string& padded = thread.padded;
    padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    padded.assign(text);
    od::document doc;
    bool iterating = false;
    try {
        check(thread.parser.iterate(padded.data(), padded.size(), padded.capacity()).get(doc));
        iterating = true;
        return document(doc);
    } catch (const ReadFailure& failure) {
        std::string where;
        const char* at = nullptr;
        if (iterating && doc.current_location().get(at) == simdjson::SUCCESS)
            where = " at byte " + std::to_string(at - padded.data());
        throw Error(ErrorCode::Parse, "invalid JSON" + where + ": " + simdjson::error_message(failure.code));
    }
}

}  // namespace distill::formats
