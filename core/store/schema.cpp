#include "core/store/schema.h"

#include "core/store/statement.h"
#include "core/util/error.h"

#include <string>

namespace distill::store {

namespace {

// Version 1: the tables.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE problems(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  domain TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL,
  question_hash INTEGER NOT NULL,
  reference_answer TEXT NOT NULL DEFAULT '',
  reference_solution TEXT NOT NULL DEFAULT '',
  difficulty REAL,
  tags_json TEXT NOT NULL DEFAULT '[]');
CREATE INDEX problems_source ON problems(source, id);
CREATE INDEX problems_question ON problems(source, question_hash);
CREATE TABLE samples(
  id INTEGER PRIMARY KEY,
  problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  origin TEXT NOT NULL,
  origin_detail TEXT NOT NULL DEFAULT '',
  messages_json TEXT NOT NULL DEFAULT '[]',
  thinking TEXT NOT NULL DEFAULT '',
  answer TEXT NOT NULL DEFAULT '',
  raw_text TEXT NOT NULL DEFAULT '',
  thinking_tokens INTEGER NOT NULL DEFAULT 0,
  answer_tokens INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL DEFAULT 'unknown',
  reject_reason TEXT NOT NULL DEFAULT '',
  flags_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'candidate',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE INDEX samples_problem ON samples(problem_id);
CREATE TABLE edits(
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  time INTEGER NOT NULL);
CREATE INDEX edits_sample ON edits(sample_id, id);
CREATE TABLE datasets(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL,
  recipe_json TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE dataset_samples(
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  PRIMARY KEY(dataset_id, position)) WITHOUT ROWID;
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending',
  folder TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL);
CREATE TABLE metrics(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  time INTEGER NOT NULL);
CREATE INDEX metrics_run ON metrics(run_id, name, step);
CREATE TABLE eval_results(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint TEXT NOT NULL,
  benchmark TEXT NOT NULL,
  problem_id INTEGER NOT NULL REFERENCES problems(id),
  sample_index INTEGER NOT NULL,
  extracted_answer TEXT NOT NULL DEFAULT '',
  correct INTEGER NOT NULL,
  response_tokens INTEGER NOT NULL DEFAULT 0,
  UNIQUE(run_id, checkpoint, problem_id, sample_index));
)sql";

// Version 2: record extras, browser indexes and full-text search over question, thinking and
// answer (an external-content FTS5 table kept in sync by triggers).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE samples ADD COLUMN extras_json TEXT NOT NULL DEFAULT '{}';
DROP INDEX samples_problem;
-- One index per sortable browser column, (column, id) so pages are stable, followed by the
-- filter columns so that a filtered walk in sort order never reads the wide sample rows.
CREATE INDEX samples_problem ON samples(problem_id, id, verdict, status, origin, thinking_tokens);
CREATE INDEX samples_verdict ON samples(verdict, id, status, origin, thinking_tokens, problem_id);
CREATE INDEX samples_status ON samples(status, id, verdict, origin, thinking_tokens, problem_id);
CREATE INDEX samples_origin ON samples(origin, id, verdict, status, thinking_tokens, problem_id);
CREATE INDEX samples_thinking_tokens ON samples(thinking_tokens, id, verdict, status, origin, problem_id);
CREATE INDEX samples_answer_tokens ON samples(answer_tokens, id, verdict, status, origin, thinking_tokens, problem_id);
CREATE INDEX samples_flags ON samples(flags_json, id, verdict, status, origin, thinking_tokens, problem_id);
CREATE VIEW sample_text AS
  SELECT s.id AS id, p.question AS question, s.thinking AS thinking, s.answer AS answer
  FROM samples s JOIN problems p ON p.id = s.problem_id;
CREATE VIRTUAL TABLE samples_fts USING fts5(question, thinking, answer,
  content='sample_text', content_rowid='id');
CREATE TRIGGER samples_fts_insert AFTER INSERT ON samples BEGIN
  INSERT INTO samples_fts(rowid, question, thinking, answer)
  VALUES (new.id, (SELECT question FROM problems WHERE id = new.problem_id), new.thinking, new.answer);
END;
CREATE TRIGGER samples_fts_delete AFTER DELETE ON samples BEGIN
  INSERT INTO samples_fts(samples_fts, rowid, question, thinking, answer)
  VALUES ('delete', old.id, (SELECT question FROM problems WHERE id = old.problem_id), old.thinking, old.answer);
END;
CREATE TRIGGER samples_fts_update AFTER UPDATE OF thinking, answer, problem_id ON samples BEGIN
  INSERT INTO samples_fts(samples_fts, rowid, question, thinking, answer)
  VALUES ('delete', old.id, (SELECT question FROM problems WHERE id = old.problem_id), old.thinking, old.answer);
  INSERT INTO samples_fts(rowid, question, thinking, answer)
  VALUES (new.id, (SELECT question FROM problems WHERE id = new.problem_id), new.thinking, new.answer);
END;
CREATE TRIGGER problems_fts_update AFTER UPDATE OF question ON problems BEGIN
  INSERT INTO samples_fts(samples_fts, rowid, question, thinking, answer)
    SELECT 'delete', s.id, old.question, s.thinking, s.answer FROM samples s WHERE s.problem_id = old.id;
  INSERT INTO samples_fts(rowid, question, thinking, answer)
    SELECT s.id, new.question, s.thinking, s.answer FROM samples s WHERE s.problem_id = new.id;
END;
-- A 16 MiB in-memory buffer before a segment is written: bulk indexing makes fewer, larger segments.
INSERT INTO samples_fts(samples_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO samples_fts(samples_fts) VALUES ('rebuild');
)sql";


// Version 3: count tables for the overview (sources(), summary()), kept exact by triggers so that
// every writer -- this build, another process, a cascade -- updates them in its own transaction.
// sample_stats counts samples per (problem source, status, verdict, origin); rows may reach 0.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE source_stats(
  source TEXT PRIMARY KEY,
  problems INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sample_stats(
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  verdict TEXT NOT NULL,
  origin TEXT NOT NULL,
  samples INTEGER NOT NULL,
  PRIMARY KEY(source, status, verdict, origin)) WITHOUT ROWID;
INSERT INTO source_stats(source, problems) SELECT source, count(*) FROM problems GROUP BY source;
INSERT INTO sample_stats(source, status, verdict, origin, samples)
  SELECT p.source, s.status, s.verdict, s.origin, count(*) FROM samples s JOIN problems p ON p.id = s.problem_id
  GROUP BY p.source, s.status, s.verdict, s.origin;
CREATE TRIGGER problems_stats_insert AFTER INSERT ON problems BEGIN
  INSERT INTO source_stats(source, problems) VALUES (new.source, 1)
    ON CONFLICT(source) DO UPDATE SET problems = problems + 1;
END;
-- Before the delete: a cascade deletes the problem's samples after the problem row is gone, when
-- their own trigger can no longer find the source, so their counts are taken off here.
CREATE TRIGGER problems_stats_delete BEFORE DELETE ON problems BEGIN
  UPDATE source_stats SET problems = problems - 1 WHERE source = old.source;
  UPDATE sample_stats SET samples = samples - (SELECT count(*) FROM samples s WHERE s.problem_id = old.id
      AND s.status = sample_stats.status AND s.verdict = sample_stats.verdict AND s.origin = sample_stats.origin)
    WHERE source = old.source;
END;
CREATE TRIGGER problems_stats_update AFTER UPDATE OF source ON problems WHEN old.source IS NOT new.source BEGIN
  UPDATE source_stats SET problems = problems - 1 WHERE source = old.source;
  INSERT INTO source_stats(source, problems) VALUES (new.source, 1)
    ON CONFLICT(source) DO UPDATE SET problems = problems + 1;
  UPDATE sample_stats SET samples = samples - (SELECT count(*) FROM samples s WHERE s.problem_id = old.id
      AND s.status = sample_stats.status AND s.verdict = sample_stats.verdict AND s.origin = sample_stats.origin)
    WHERE source = old.source;
  INSERT INTO sample_stats(source, status, verdict, origin, samples)
    SELECT new.source, status, verdict, origin, count(*) FROM samples WHERE problem_id = new.id
    GROUP BY status, verdict, origin
    ON CONFLICT(source, status, verdict, origin) DO UPDATE SET samples = samples + excluded.samples;
END;
CREATE TRIGGER samples_stats_insert AFTER INSERT ON samples BEGIN
  INSERT INTO sample_stats(source, status, verdict, origin, samples)
    VALUES ((SELECT source FROM problems WHERE id = new.problem_id), new.status, new.verdict, new.origin, 1)
    ON CONFLICT(source, status, verdict, origin) DO UPDATE SET samples = samples + 1;
END;
-- Finds no row when the problem is already gone (a cascade): problems_stats_delete counted it.
CREATE TRIGGER samples_stats_delete AFTER DELETE ON samples BEGIN
  UPDATE sample_stats SET samples = samples - 1
    WHERE source = (SELECT source FROM problems WHERE id = old.problem_id)
      AND status = old.status AND verdict = old.verdict AND origin = old.origin;
END;
CREATE TRIGGER samples_stats_update AFTER UPDATE OF status, verdict, origin, problem_id ON samples
  WHEN old.status IS NOT new.status OR old.verdict IS NOT new.verdict OR old.origin IS NOT new.origin
    OR old.problem_id IS NOT new.problem_id BEGIN
  UPDATE sample_stats SET samples = samples - 1
    WHERE source = (SELECT source FROM problems WHERE id = old.problem_id)
      AND status = old.status AND verdict = old.verdict AND origin = old.origin;
  INSERT INTO sample_stats(source, status, verdict, origin, samples)
    VALUES ((SELECT source FROM problems WHERE id = new.problem_id), new.status, new.verdict, new.origin, 1)
    ON CONFLICT(source, status, verdict, origin) DO UPDATE SET samples = samples + 1;
END;
)sql";

// Version 4: sorting the browser by reject reason and by the readability scores the curation
// writes into the flags JSON. The score expressions equal the ORDER BY of sample queries.
constexpr std::string_view kV4 = R"sql(
CREATE INDEX samples_reject_reason ON samples(reject_reason, id, verdict, status, origin, thinking_tokens, problem_id);
CREATE INDEX samples_language_mix ON samples(json_extract(flags_json, '$.filters.language_mix'), id, verdict, status, origin,
  thinking_tokens, problem_id);
CREATE INDEX samples_paragraph_words ON samples(json_extract(flags_json, '$.filters.longest_paragraph_words'), id, verdict, status, origin,
  thinking_tokens, problem_id);
CREATE INDEX samples_repetition ON samples(json_extract(flags_json, '$.filters.repeated_ngram_share'), id, verdict, status, origin,
  thinking_tokens, problem_id);
)sql";

// Version 5: a generation unit (teacher, problem, sample index) is written once even by two jobs at
// the same time (the unique unit key; the oldest copy of a unit keeps it when an older workspace
// already holds duplicates), and a run row says which process runs it (host, pid, start time), so a
// row left `running` by a killed process is recognised.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE samples ADD COLUMN unit_key TEXT;
UPDATE samples SET unit_key = origin_detail || char(31) || problem_id || char(31) || json_extract(extras_json, '$.sample_index')
  WHERE id IN (SELECT min(id) FROM samples
               WHERE origin = 'teacher' AND json_type(extras_json, '$.sample_index') = 'integer'
               GROUP BY origin_detail, problem_id, json_extract(extras_json, '$.sample_index'));
CREATE UNIQUE INDEX samples_unit ON samples(unit_key) WHERE unit_key IS NOT NULL;
ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
)sql";

// Version 6: a pipeline's stages are runs of their own, children of the pipeline's run (named by
// the stage), and a run keeps the summary it ended with (what a later stage refers to).
constexpr std::string_view kV6 = R"sql(
ALTER TABLE runs ADD COLUMN parent_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
ALTER TABLE runs ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_parent ON runs(parent_id, stage) WHERE parent_id IS NOT NULL;
)sql";

}  // namespace

const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> steps = {{1, kV1}, {2, kV2}, {3, kV3}, {4, kV4}, {5, kV5}, {6, kV6}};
    return steps;
}

int fileSchemaVersion(sqlite3* db)
{
    Statement st(db, "PRAGMA user_version");
    return st.step() ? int(st.int64At(0)) : 0;
}

int migrate(sqlite3* db)
{
    int version = fileSchemaVersion(db);
    const int newest = migrations().back().version;
    if (version > newest)
        throw Error(ErrorCode::Unsupported,
                    "workspace schema version " + std::to_string(version) + " is newer than this build's "
                        + std::to_string(newest),
                    "open it with a newer Distillery");
    for (const Migration& m : migrations()) {
        if (m.version <= version)
            continue;
        exec(db, "BEGIN IMMEDIATE");
        try {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            if (fileSchemaVersion(db) >= m.version) {
                exec(db, "COMMIT");
                version = fileSchemaVersion(db);
                continue;
            }
            exec(db, m.sql);
            exec(db, "PRAGMA user_version = " + std::to_string(m.version));
            exec(db, "COMMIT");
        } catch (...) {
            exec(db, "ROLLBACK");
            throw;
        }
        version = m.version;
    }
    return version;
}

}  // namespace distill::store
