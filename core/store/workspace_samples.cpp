// Workspace: samples, the browser queries, edits with undo, and frozen datasets.
#include "core/store/workspace.h"

#include "core/store/workspace_impl.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <variant>

namespace distill::store {

const char* const kSampleColumns =
    "s.id, s.problem_id, s.origin, s.origin_detail, s.messages_json, s.thinking, s.answer, s.raw_text, "
    "s.extras_json, s.thinking_tokens, s.answer_tokens, s.verdict, s.reject_reason, s.flags_json, s.status, "
    "s.created_at, s.updated_at";

Sample readSample(const Statement& st)
{
    Sample s;
    s.id = st.int64At(0);
    s.problemId = st.int64At(1);
    s.origin = parseOrigin(st.textViewAt(2));
    s.originDetail = st.textAt(3);
    s.messagesJson = st.textAt(4);
    s.thinking = st.textAt(5);
    s.answer = st.textAt(6);
    s.rawText = st.textAt(7);
    s.extrasJson = st.textAt(8);
    s.thinkingTokens = st.int64At(9);
    s.answerTokens = st.int64At(10);
    s.verdict = parseVerdict(st.textViewAt(11));
    s.rejectReason = st.textAt(12);
    s.flagsJson = st.textAt(13);
    s.status = parseStatus(st.textViewAt(14));
    s.createdAt = st.int64At(15);
    s.updatedAt = st.int64At(16);
    return s;
}

std::int64_t Workspace::insertSample(Sample& sample)
{
    m_impl->requireWritable();
    if (sample.createdAt == 0)
        sample.createdAt = nowMs();
    if (sample.updatedAt == 0)
        sample.updatedAt = sample.createdAt;
    // A unit already written (by another job of the same spec) is not written twice.
    Statement& st = m_impl->stmt(
        "INSERT OR IGNORE INTO samples(problem_id, origin, origin_detail, messages_json, thinking, answer, raw_text, "
        "extras_json, thinking_tokens, answer_tokens, verdict, reject_reason, flags_json, status, created_at, "
        "updated_at, unit_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, sample.problemId).bind(2, originName(sample.origin)).bind(3, sample.originDetail);
    // The long texts are not copied: `sample` outlives run().
    st.bindStable(4, sample.messagesJson).bindStable(5, sample.thinking).bindStable(6, sample.answer);
    st.bindStable(7, sample.rawText).bindStable(8, sample.extrasJson);
    st.bind(9, sample.thinkingTokens).bind(10, sample.answerTokens);
    st.bind(11, verdictName(sample.verdict)).bind(12, sample.rejectReason).bind(13, sample.flagsJson);
    st.bind(14, statusName(sample.status)).bind(15, sample.createdAt).bind(16, sample.updatedAt);
    if (sample.unitKey.empty())
        st.bindNull(17);
    else
        st.bind(17, sample.unitKey);
    st.run();
    sample.id = sqlite3_changes(m_impl->db) > 0 ? sqlite3_last_insert_rowid(m_impl->db) : 0;
    return sample.id;
}

std::optional<Sample> Workspace::sample(std::int64_t id) const
{
    Statement& st = m_impl->stmt(std::string("SELECT ") + kSampleColumns + " FROM samples s WHERE s.id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    Sample s = readSample(st);
    st.reset();
    return s;
}

// ---- queries

namespace {

using Binding = std::variant<std::int64_t, double, std::string>;

// Turns free text into an FTS5 query: every whitespace-separated word must occur; a trailing '*'
// keeps prefix matching; quotes make any other FTS5 syntax literal.
std::string ftsQuery(const std::string& text)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])))
            ++j;
        if (j > i) {
            std::string word = text.substr(i, j - i);
            bool prefix = word.size() > 1 && word.back() == '*';
            if (prefix)
                word.pop_back();
            std::string quoted = "\"";
            for (char c : word)
                quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
            quoted += '"';
            out += (out.empty() ? "" : " ") + quoted + (prefix ? "*" : "");
        }
        i = j;
    }
    return out;
}

struct Filter {
    std::string where;  // " WHERE ..." or empty
    std::vector<Binding> bindings;
};

// The SQL of a score of the flags JSON; equal to the expression of its index in the schema.
std::string scoreExpression(std::string_view score)
{
    return "json_extract(s.flags_json, '$.filters." + std::string(score) + "')";
}

Filter buildFilter(const SampleQuery& q)
{
    Filter f;
    std::vector<std::string> parts;
    const std::string fts = ftsQuery(q.search);
    if (!fts.empty()) {
        parts.push_back("s.id IN (SELECT rowid FROM samples_fts WHERE samples_fts MATCH ?)");
        f.bindings.emplace_back(fts);
    }
    if (q.verdict) {
        parts.push_back("s.verdict = ?");
        f.bindings.emplace_back(std::string(verdictName(*q.verdict)));
    }
    if (q.status) {
        parts.push_back("s.status = ?");
        f.bindings.emplace_back(std::string(statusName(*q.status)));
    }
    if (q.origin) {
        parts.push_back("s.origin = ?");
        f.bindings.emplace_back(std::string(originName(*q.origin)));
    }
    if (!q.originDetail.empty()) {
        parts.push_back("s.origin_detail = ?");
        f.bindings.emplace_back(q.originDetail);
    }
    if (!q.source.empty()) {
        parts.push_back("s.problem_id IN (SELECT id FROM problems WHERE source = ?)");
        f.bindings.emplace_back(q.source);
    }
    if (q.problemId) {
        parts.push_back("s.problem_id = ?");
        f.bindings.emplace_back(*q.problemId);
    }
    if (q.minThinkingTokens) {
        parts.push_back("s.thinking_tokens >= ?");
        f.bindings.emplace_back(*q.minThinkingTokens);
    }
    if (q.maxThinkingTokens) {
        parts.push_back("s.thinking_tokens <= ?");
        f.bindings.emplace_back(*q.maxThinkingTokens);
    }
    if (q.rejectReason) {
        parts.push_back("s.reject_reason = ?");
        f.bindings.emplace_back(*q.rejectReason);
    }
    if (q.score) {
        // Written into the SQL (a checked name) so that the score's index can serve the range.
        if (!isScoreName(q.score->name))
            throw Error(ErrorCode::InvalidArgument, "invalid score name '" + q.score->name + "'");
        const std::string score = scoreExpression(q.score->name);
        parts.push_back(score + " IS NOT NULL");  // samples without the score never match
        if (q.score->min) {
            parts.push_back(score + " >= ?");
            f.bindings.emplace_back(*q.score->min);
        }
        if (q.score->max) {
            parts.push_back(score + " <= ?");
            f.bindings.emplace_back(*q.score->max);
        }
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
        f.where += (i == 0 ? " WHERE " : " AND ") + parts[i];
    return f;
}

std::string orderBy(const SampleQuery& q)
{
    static const char* const columns[] = {"s.id",           "s.problem_id",   "s.verdict",     "s.status",
                                          "s.thinking_tokens", "s.answer_tokens", "s.origin",   "s.flags_json",
                                          "s.reject_reason"};
    const char* dir = q.descending ? " DESC" : " ASC";
    const std::string_view score = sampleColumnScore(q.sortBy);
    std::string order = std::string(" ORDER BY ")
                        + (score.empty() ? std::string(columns[std::size_t(q.sortBy)]) : scoreExpression(score)) + dir;
    if (q.sortBy != SampleColumn::Id)
        order += std::string(", s.id") + dir;
    return order;
}

const char* const kSortIndexes[] = {nullptr, "samples_problem", "samples_verdict", "samples_status",
                                    "samples_thinking_tokens", "samples_answer_tokens", "samples_origin",
                                    "samples_flags", "samples_reject_reason", "samples_language_mix",
                                    "samples_paragraph_words", "samples_repetition"};
static_assert(std::size(kSortIndexes) == std::size_t(SampleColumn::Repetition) + 1, "one entry per column");

// The index of a score of the flags JSON, or nullptr when the schema has none for it.
const char* scoreIndex(std::string_view score)
{
    for (SampleColumn c : {SampleColumn::LanguageMix, SampleColumn::ParagraphWords, SampleColumn::Repetition})
        if (sampleColumnScore(c) == score)
            return kSortIndexes[std::size_t(c)];
    return nullptr;
}

std::string from(const char* index)
{
    return index ? std::string(" FROM samples s INDEXED BY ") + index : std::string(" FROM samples s");
}

// "samples s", forcing an index unless a problem or source filter selects few rows. A score range
// is read from its own index, whose entries cover the other filters and the sort columns, so the
// JSON of a row is never parsed (at 1M samples: 15-40 ms for a narrow range, ~230 ms for all rows,
// against ~800 ms walking another index and parsing each row's JSON). Otherwise the sort column's
// index: status, verdict, origin and token filters keep a large share, and walking the sort index
// with them (the indexes cover the filter columns) beats filtering first and sorting what is left;
// an unsorted read (a count) leaves that choice to the planner.
std::string fromSamples(const SampleQuery& q, bool sorted = true)
{
    if (q.problemId || !q.source.empty())
        return from(nullptr);
    if (q.score)
        return from(scoreIndex(q.score->name));
    return from(sorted ? kSortIndexes[std::size_t(q.sortBy)] : nullptr);
}

int bindAll(Statement& st, const std::vector<Binding>& bindings)
{
    int i = 1;
    for (const Binding& b : bindings)
        std::visit([&](const auto& value) { st.bind(i++, value); }, b);
    return i;
}

}  // namespace

namespace {

// A browser query without its full-text part.
SampleQuery withoutSearch(SampleQuery q)
{
    q.search.clear();
    return q;
}

bool onlySearch(const SampleQuery& q)
{
    return !q.verdict && !q.status && !q.origin && q.originDetail.empty() && q.source.empty() && !q.problemId && !q.minThinkingTokens
           && !q.maxThinkingTokens && !q.rejectReason && !q.score;
}

// A text filter is applied while walking the sort order when the walk is expected to be shorter
// than kWalkAdvantage times the number of matches (a walk step is cheaper than fetching and
// sorting a match); otherwise the matches are fetched and sorted.
constexpr std::int64_t kWalkAdvantage = 4;
// Counting a text filter together with other filters: below this many matches SQL looks each
// match up; above it the other filters are walked and checked against the match set.
constexpr std::size_t kCountLookupLimit = 10000;

const char* const kRowColumns =
    "s.id, s.problem_id, p.source, substr(p.question, 1, 160), s.verdict, s.status, s.thinking_tokens, "
    "s.answer_tokens, s.origin, s.origin_detail, s.reject_reason, s.flags_json";

SampleRow readRow(const Statement& st)
{
    SampleRow r;
    r.id = st.int64At(0);
    r.problemId = st.int64At(1);
    r.source = st.textAt(2);
    r.questionPreview = st.textAt(3);
    r.verdict = parseVerdict(st.textViewAt(4));
    r.status = parseStatus(st.textViewAt(5));
    r.thinkingTokens = st.int64At(6);
    r.answerTokens = st.int64At(7);
    r.origin = parseOrigin(st.textViewAt(8));
    r.originDetail = st.textAt(9);
    r.rejectReason = st.textAt(10);
    r.flagsJson = st.textAt(11);
    return r;
}

// Ascending ids of the samples matching an FTS5 query, cached until the file changes.
const std::vector<std::int64_t>& searchMatches(const Workspace::Impl& impl, const std::string& fts)
{
    const std::string version = impl.dataVersion();
    if (impl.matchQuery != fts || impl.matchVersion != version) {
        impl.matchIds.clear();
        Statement& st = impl.stmt("SELECT rowid FROM samples_fts WHERE samples_fts MATCH ? ORDER BY rowid");
        st.bind(1, fts);
        while (st.step())
            impl.matchIds.push_back(st.int64At(0));
        Statement& total = impl.stmt("SELECT count(*) FROM samples");
        total.step();
        impl.matchTotal = total.int64At(0);
        total.reset();
        impl.matchQuery = fts;
        impl.matchVersion = version;
    }
    return impl.matchIds;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> Workspace::rejectReasons() const
{
    Statement& st = m_impl->stmt(
        "SELECT reject_reason, count(*) FROM samples WHERE reject_reason <> '' "
        "GROUP BY reject_reason ORDER BY count(*) DESC, reject_reason");
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (st.step())
        out.emplace_back(st.textAt(0), st.int64At(1));
    return out;
}

std::int64_t Workspace::countSamples(const SampleQuery& query) const
{
    const std::string fts = ftsQuery(query.search);
    if (!fts.empty()) {
        const auto& matches = searchMatches(*m_impl, fts);
        if (onlySearch(query) || matches.empty())
            return std::int64_t(matches.size());
        if (matches.size() > kCountLookupLimit) {
            const Filter f = buildFilter(withoutSearch(query));
            Statement& walk = m_impl->stmt("SELECT s.id FROM samples s" + f.where);
            bindAll(walk, f.bindings);
            std::int64_t n = 0;
            while (walk.step())
                n += std::binary_search(matches.begin(), matches.end(), walk.int64At(0)) ? 1 : 0;
            return n;
        }
    }
    const Filter f = buildFilter(query);
    Statement& st = m_impl->stmt("SELECT count(*)" + fromSamples(query, false) + f.where);
    bindAll(st, f.bindings);
    st.step();
    const std::int64_t n = st.int64At(0);
    st.reset();
    return n;
}

std::vector<SampleRow> Workspace::listSamples(const SampleQuery& query, std::int64_t offset,
                                              std::int64_t limit) const
{
    std::vector<SampleRow> rows;
    const std::string fts = ftsQuery(query.search);
    if (!fts.empty()) {
        const auto& matches = searchMatches(*m_impl, fts);
        if (matches.empty())
            return rows;
        const std::int64_t n = std::int64_t(matches.size());
        const std::int64_t expectedWalk = (offset + limit) * (m_impl->matchTotal / n + 1);
        if (expectedWalk <= kWalkAdvantage * n) {
            // A common text: walk the other filters in sort order and keep the matching ids.
            const Filter f = buildFilter(withoutSearch(query));
            Statement& walk = m_impl->stmt("SELECT s.id" + fromSamples(query) + f.where + orderBy(query));
            bindAll(walk, f.bindings);
            std::vector<std::int64_t> ids;
            std::int64_t skipped = 0;
            while (std::int64_t(ids.size()) < limit && walk.step()) {
                const std::int64_t id = walk.int64At(0);
                if (!std::binary_search(matches.begin(), matches.end(), id))
                    continue;
                if (skipped < offset)
                    ++skipped;
                else
                    ids.push_back(id);
            }
            walk.reset();
            Statement& row = m_impl->stmt(std::string("SELECT ") + kRowColumns
                                          + " FROM samples s JOIN problems p ON p.id = s.problem_id WHERE s.id = ?");
            for (std::int64_t id : ids) {
                row.bind(1, id);
                if (row.step())
                    rows.push_back(readRow(row));
                row.reset();
            }
            return rows;
        }
    }
    const Filter f = buildFilter(query);
    const std::string order = orderBy(query);
    // The page is chosen on samples alone (an index scan for the sort), then joined for display.
    Statement& st = m_impl->stmt("WITH page AS (SELECT s.id" + fromSamples(query) + f.where + order
                                 + " LIMIT ? OFFSET ?) SELECT " + kRowColumns
                                 + " FROM page JOIN samples s ON s.id = page.id JOIN problems p ON p.id = s.problem_id"
                                 + order);
    const int next = bindAll(st, f.bindings);
    st.bind(next, limit).bind(next + 1, offset);
    while (st.step())
        rows.push_back(readRow(st));
    return rows;
}

std::vector<std::int64_t> Workspace::sampleIds(const SampleQuery& query) const
{
    const Filter f = buildFilter(query);
    Statement& st = m_impl->stmt("SELECT s.id" + fromSamples(query) + f.where + orderBy(query));
    bindAll(st, f.bindings);
    std::vector<std::int64_t> ids;
    while (st.step())
        ids.push_back(st.int64At(0));
    return ids;
}

// ---- edits

namespace {

std::string fieldColumn(SampleField field)
{
    return std::string(sampleFieldName(field));  // column names equal the field names
}

}  // namespace

void Workspace::updateSampleText(std::int64_t id, SampleField field, const std::string& value)
{
    const std::string column = fieldColumn(field);
    Transaction tx(*this);
    Statement& get = m_impl->stmt("SELECT " + column + " FROM samples WHERE id = ?");
    get.bind(1, id);
    if (!get.step())
        throw Error(ErrorCode::NotFound, "no sample " + std::to_string(id));
    const std::string before = get.textAt(0);
    get.reset();
    if (before == value)
        return;  // tx rolls back: nothing was written
    const std::int64_t now = nowMs();
    Statement& set = m_impl->stmt("UPDATE samples SET " + column + " = ?, updated_at = ? WHERE id = ?");
    set.bind(1, value).bind(2, now).bind(3, id);
    set.run();
    Statement& log = m_impl->stmt("INSERT INTO edits(sample_id, field, before, after, time) VALUES (?,?,?,?,?)");
    log.bind(1, id).bind(2, column).bind(3, before).bind(4, value).bind(5, now);
    log.run();
    tx.commit();
}

bool Workspace::undoLastEdit(std::int64_t sampleId)
{
    Transaction tx(*this);
    Statement& last = m_impl->stmt(
        "SELECT id, field, before FROM edits WHERE sample_id = ? ORDER BY id DESC LIMIT 1");
    last.bind(1, sampleId);
    if (!last.step())
        return false;
    const std::int64_t editId = last.int64At(0);
    const std::string column = fieldColumn(parseSampleField(last.textViewAt(1)));
    const std::string before = last.textAt(2);
    last.reset();
    Statement& set = m_impl->stmt("UPDATE samples SET " + column + " = ?, updated_at = ? WHERE id = ?");
    set.bind(1, before).bind(2, nowMs()).bind(3, sampleId);
    set.run();
    Statement& drop = m_impl->stmt("DELETE FROM edits WHERE id = ?");
    drop.bind(1, editId);
    drop.run();
    tx.commit();
    return true;
}

std::vector<EditRecord> Workspace::editHistory(std::int64_t sampleId) const
{
    Statement& st = m_impl->stmt(
        "SELECT id, sample_id, field, before, after, time FROM edits WHERE sample_id = ? ORDER BY id");
    st.bind(1, sampleId);
    std::vector<EditRecord> out;
    while (st.step())
        out.push_back({st.int64At(0), st.int64At(1), parseSampleField(st.textViewAt(2)), st.textAt(3),
                       st.textAt(4), st.int64At(5)});
    return out;
}

// ---- status, verdict, flags

namespace {

// Sets one text column of many samples in one transaction.
void setColumn(Workspace& ws, const Workspace::Impl& impl, const std::vector<std::int64_t>& ids,
               const std::string& column, std::string_view value)
{
    Workspace::Transaction tx(ws);
    Statement& st = impl.stmt("UPDATE samples SET " + column + " = ?, updated_at = ? WHERE id = ?");
    const std::int64_t now = nowMs();
    for (std::int64_t id : ids) {
        st.bind(1, value).bind(2, now).bind(3, id);
        st.run();
    }
    tx.commit();
}

}  // namespace

void Workspace::setStatus(const std::vector<std::int64_t>& ids, SampleStatus status)
{
    setColumn(*this, *m_impl, ids, "status", statusName(status));
}

void Workspace::setVerdict(const std::vector<std::int64_t>& ids, Verdict verdict)
{
    setColumn(*this, *m_impl, ids, "verdict", verdictName(verdict));
}

void Workspace::setVerdict(std::int64_t id, Verdict verdict, const std::string& rejectReason)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("UPDATE samples SET verdict = ?, reject_reason = ?, updated_at = ? WHERE id = ?");
    st.bind(1, verdictName(verdict)).bind(2, rejectReason).bind(3, nowMs()).bind(4, id);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no sample " + std::to_string(id));
}

void Workspace::setFlags(std::int64_t id, const std::string& flagsJson)
{
    m_impl->requireWritable();
    const auto parsed = nlohmann::json::parse(flagsJson, nullptr, false);
    if (!parsed.is_object())
        throw Error(ErrorCode::InvalidArgument, "flags must be a JSON object");
    Statement& st = m_impl->stmt("UPDATE samples SET flags_json = ?, updated_at = ? WHERE id = ?");
    st.bind(1, parsed.dump()).bind(2, nowMs()).bind(3, id);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no sample " + std::to_string(id));
}

void Workspace::setTokenCounts(std::int64_t id, std::int64_t thinkingTokens, std::int64_t answerTokens)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("UPDATE samples SET thinking_tokens = ?, answer_tokens = ? WHERE id = ?");
    st.bind(1, thinkingTokens).bind(2, answerTokens).bind(3, id);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no sample " + std::to_string(id));
}

// ---- datasets

std::string Workspace::contentHash(const std::vector<std::int64_t>& sampleIds) const
{
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    auto add = [&](std::string_view text) {
        const std::uint64_t n = text.size();  // length prefix: field boundaries count
        XXH3_64bits_update(state, &n, sizeof n);
        XXH3_64bits_update(state, text.data(), text.size());
    };
    Statement& st = m_impl->stmt(
        "SELECT p.question, s.messages_json, s.thinking, s.answer FROM samples s "
        "JOIN problems p ON p.id = s.problem_id WHERE s.id = ?");
    for (std::int64_t id : sampleIds) {
        st.bind(1, id);
        if (!st.step()) {
            XXH3_freeState(state);
            throw Error(ErrorCode::NotFound, "no sample " + std::to_string(id));
        }
        for (int c = 0; c < 4; ++c)
            add(st.textViewAt(c));
        st.reset();
    }
    const std::uint64_t h = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

Dataset Workspace::freezeDataset(const std::string& name, const SampleQuery& recipe)
{
    if (name.empty())
        throw Error(ErrorCode::InvalidArgument, "a dataset needs a name");
    Transaction tx(*this);
    if (dataset(name))
        throw Error(ErrorCode::InvalidArgument, "dataset '" + name + "' already exists", "choose another name");
    Dataset d;
    d.name = name;
    d.sampleIds = sampleIds(recipe);
    d.contentHash = contentHash(d.sampleIds);
    d.recipeJson = recipe.toJson().dump();
    d.createdAt = nowMs();
    Statement& ins = m_impl->stmt(
        "INSERT INTO datasets(name, content_hash, recipe_json, created_at) VALUES (?,?,?,?)");
    ins.bind(1, d.name).bind(2, d.contentHash).bind(3, d.recipeJson).bind(4, d.createdAt);
    ins.run();
    d.id = sqlite3_last_insert_rowid(m_impl->db);
    Statement& member = m_impl->stmt("INSERT INTO dataset_samples(dataset_id, position, sample_id) VALUES (?,?,?)");
    for (std::size_t i = 0; i < d.sampleIds.size(); ++i) {
        member.bind(1, d.id).bind(2, std::int64_t(i)).bind(3, d.sampleIds[i]);
        member.run();
    }
    tx.commit();
    return d;
}

std::vector<Dataset> Workspace::datasets() const
{
    Statement& st = m_impl->stmt("SELECT id, name, content_hash, recipe_json, created_at FROM datasets ORDER BY id");
    std::vector<Dataset> out;
    while (st.step())
        out.push_back({st.int64At(0), st.textAt(1), st.textAt(2), st.textAt(3), {}, st.int64At(4)});
    return out;
}

std::optional<Dataset> Workspace::dataset(const std::string& name) const
{
    Statement& st = m_impl->stmt(
        "SELECT id, name, content_hash, recipe_json, created_at FROM datasets WHERE name = ?");
    st.bind(1, name);
    if (!st.step())
        return std::nullopt;
    Dataset d{st.int64At(0), st.textAt(1), st.textAt(2), st.textAt(3), {}, st.int64At(4)};
    st.reset();
    Statement& ids = m_impl->stmt("SELECT sample_id FROM dataset_samples WHERE dataset_id = ? ORDER BY position");
    ids.bind(1, d.id);
    while (ids.step())
        d.sampleIds.push_back(ids.int64At(0));
    return d;
}

void Workspace::forEachDatasetSample(const std::string& name, const std::function<bool(const Sample&)>& fn) const
{
    const auto d = dataset(name);
    if (!d)
        throw Error(ErrorCode::NotFound, "no dataset '" + name + "'");
    // A statement of its own: fn may query the workspace meanwhile.
    Statement st(m_impl->db, std::string("SELECT ") + kSampleColumns
                                 + " FROM dataset_samples ds JOIN samples s ON s.id = ds.sample_id "
                                   "WHERE ds.dataset_id = ? ORDER BY ds.position");
    st.bind(1, d->id);
    while (st.step())
        if (!fn(readSample(st)))
            break;
}

std::vector<Sample> Workspace::datasetSamples(const std::string& name) const
{
    std::vector<Sample> out;
    forEachDatasetSample(name, [&](const Sample& s) {
        out.push_back(s);
        return true;
    });
    return out;
}

}  // namespace distill::store
